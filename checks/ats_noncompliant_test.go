package checks_test

import (
	"strings"
	"testing"

	"crypto/x509"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// atsEnum is an enumeration accepting each version with the suites given.
func atsEnum(versions map[uint16][]uint16) *enum.Enumeration {
	e := &enum.Enumeration{}
	for _, v := range tlsinfo.Versions {
		p := enum.ProtocolSupport{Version: v}
		for _, id := range versions[v] {
			p.Accepted = true
			p.Suites = append(p.Suites, enum.AcceptedSuite{ID: id})
		}
		e.Versions = append(e.Versions, p)
	}
	return e
}

// TestATSNoncompliant: ATS applies to hosts of an app with Apple clients
// or an Info.plist policy, and the app's NSExceptionDomains entry for the
// host loosens it as ATS does (subdomains, minimum version, forward
// secrecy); without an Apple client it stays silent.
func TestATSNoncompliant(t *testing.T) {
	p := newPKI(t)
	leaf := issue(t, p, lab.CertSpec{}).Cert
	staticRSA12 := atsEnum(map[uint16][]uint16{tlsinfo.VersionTLS12: {0x009C}}) // TLS_RSA_WITH_AES_128_GCM_SHA256
	ecdheCBC10 := atsEnum(map[uint16][]uint16{tlsinfo.VersionTLS10: {0xC013}})  // TLS 1.0 only, ECDHE-RSA-AES128-SHA
	good := atsEnum(map[uint16][]uint16{tlsinfo.VersionTLS12: {0xC02B}, tlsinfo.VersionTLS13: {0x1301}})
	onlyC014 := atsEnum(map[uint16][]uint16{tlsinfo.VersionTLS12: {0xC014}}) // not on Apple's list
	exception := func(domain string, mod func(*appcode.ATSException)) *appcode.ATSPolicy {
		e := appcode.ATSException{Domain: domain}
		mod(&e)
		return &appcode.ATSPolicy{Exceptions: []appcode.ATSException{e}}
	}
	cases := []struct {
		name    string
		clients []string
		ats     *appcode.ATSPolicy
		e       *enum.Enumeration
		want    string // substring of the message; "" for silent
	}{
		{"static RSA, iOS client", []string{"ios-15"}, nil, staticRSA12, "no forward-secret suite from Apple's ATS list"},
		{"static RSA, Info.plist found", nil, &appcode.ATSPolicy{}, staticRSA12, "no forward-secret suite"},
		{"only ECDHE-RSA-AES256-SHA", []string{"ios-17"}, nil, onlyC014, "no forward-secret suite"},
		{"good, iOS client", []string{"ios-15"}, nil, good, ""},
		{"static RSA, Android only", []string{"android-24"}, nil, staticRSA12, ""},
		{"static RSA, forward secrecy excepted for the parent domain with subdomains", nil,
			exception("example.test", func(e *appcode.ATSException) { e.IncludesSubdomains, e.ForwardSecrecyOptional = true, true }), staticRSA12, ""},
		{"static RSA, parent domain excepted without subdomains", nil,
			exception("example.test", func(e *appcode.ATSException) { e.ForwardSecrecyOptional = true }), staticRSA12, "no forward-secret suite"},
		{"TLS 1.0, no exception", []string{"ios-15"}, nil, ecdheCBC10, "no accepted version is TLS 1.2 or newer"},
		{"TLS 1.0, minimum TLS excepted", []string{"ios-15"},
			exception("api.example.test", func(e *appcode.ATSException) { e.MinimumTLS = "TLSv1.0" }), ecdheCBC10, ""},
		{"arbitrary loads", nil, &appcode.ATSPolicy{AllowsArbitraryLoads: true}, staticRSA12, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := &scanner.Target{Host: "api.example.test", ServerName: "api.example.test", Port: 443, Clients: c.clients, ATS: c.ats}
			var got []scanner.Finding
			r := &scanner.Result{Target: target, Handshake: &handshake.Handshake{Chain: []*x509.Certificate{leaf}}, Enum: c.e}
			if err := checks.ATSNoncompliant.Run(scanner.NewPass(checks.ATSNoncompliant, r, testNow, func(f scanner.Finding) { got = append(got, f) })); err != nil {
				t.Fatal(err)
			}
			switch {
			case c.want == "" && len(got) > 0:
				t.Errorf("fired: %s", got[0].Message)
			case c.want != "" && (len(got) != 1 || !strings.Contains(got[0].Message, c.want)):
				t.Errorf("findings %v, want one saying %q", got, c.want)
			}
		})
	}
}
