package checks

import (
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
)

// enumResult builds a result whose enumeration accepts the given suites
// per version (server order), as a check sees it.
func enumResult(profile string, versions map[uint16][]enum.AcceptedSuite) *scanner.Result {
	e := &enum.Enumeration{}
	for _, v := range tlsinfo.Versions {
		suites, ok := versions[v]
		e.Versions = append(e.Versions, enum.ProtocolSupport{Version: v, Accepted: ok, Suites: suites,
			SuitePreference: enum.PreferServer})
	}
	return &scanner.Result{Target: &scanner.Target{Profile: profile}, Enum: e}
}

func suites(ids ...uint16) []enum.AcceptedSuite {
	var out []enum.AcceptedSuite
	for _, id := range ids {
		out = append(out, enum.AcceptedSuite{ID: id})
	}
	return out
}

// run runs one check and returns the severity of its single finding, 0
// when silent.
func run(t *testing.T, c *scanner.Check, r *scanner.Result) scanner.Severity {
	t.Helper()
	var got []scanner.Finding
	if err := c.Run(scanner.NewPass(c, r, time.Now(), func(f scanner.Finding) { got = append(got, f) })); err != nil {
		t.Fatalf("%s: %v", c.ID, err)
	}
	switch len(got) {
	case 0:
		return 0
	case 1:
		return got[0].Severity
	}
	t.Fatalf("%s: %d findings, want at most one", c.ID, len(got))
	return 0
}

const (
	ecdheGCM  = 0xC02B // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
	ecdheCBC  = 0xC009 // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
	ecdheRC4  = 0xC007 // TLS_ECDHE_ECDSA_WITH_RC4_128_SHA
	ecdhe3DES = 0xC012 // TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA
	rsaDES    = 0x0009 // TLS_RSA_WITH_DES_CBC_SHA
	rsaGCM    = 0x009C // TLS_RSA_WITH_AES_128_GCM_SHA256
	rsaNull   = 0x0002 // TLS_RSA_WITH_NULL_SHA
	dheGCM    = 0x009E // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
	tls13AES  = 0x1301
)

// TestProfileGrading pins the severity mapping the check descriptions
// document, for each Mozilla profile.
func TestProfileGrading(t *testing.T) {
	modern, inter, old := scanner.ProfileModern, scanner.ProfileIntermediate, scanner.ProfileOld
	tls10 := map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS10: suites(ecdheCBC)}
	tls12only := map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS12: suites(ecdheGCM)}
	tls13only := map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS13: suites(tls13AES)}
	modernOK := map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS12: suites(ecdheGCM), tlsinfo.VersionTLS13: suites(tls13AES)}
	v12 := func(s []enum.AcceptedSuite) map[uint16][]enum.AcceptedSuite {
		return map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS12: s, tlsinfo.VersionTLS13: suites(tls13AES)}
	}
	dh := func(bits int) []enum.AcceptedSuite {
		return []enum.AcceptedSuite{{ID: dheGCM, DHBits: bits}}
	}
	cases := []struct {
		check    *scanner.Check
		versions map[uint16][]enum.AcceptedSuite
		want     map[string]scanner.Severity // profile → severity (0: silent)
	}{
		{ProtocolTLS10, tls10, map[string]scanner.Severity{modern: scanner.High, inter: scanner.Medium, old: scanner.Low, "": scanner.Medium}},
		{ProtocolTLS10, modernOK, map[string]scanner.Severity{modern: 0, inter: 0, old: 0}},
		{ProtocolNoTLS12, tls10, map[string]scanner.Severity{modern: scanner.High, inter: scanner.High, old: scanner.Medium}},
		{ProtocolNoTLS12, tls13only, map[string]scanner.Severity{modern: 0, inter: scanner.Info, old: scanner.Low}},
		{ProtocolNoTLS13, tls12only, map[string]scanner.Severity{modern: scanner.Medium, inter: scanner.Low, old: scanner.Info}},
		{ProtocolNoTLS13, modernOK, map[string]scanner.Severity{modern: 0, inter: 0, old: 0}},
		{CipherDES, v12(suites(ecdheGCM, ecdhe3DES)), map[string]scanner.Severity{modern: scanner.Medium, inter: scanner.Medium, old: scanner.Low}},
		{CipherDES, v12(suites(ecdheGCM, ecdhe3DES, rsaDES)), map[string]scanner.Severity{modern: scanner.High, inter: scanner.High, old: scanner.High}},
		{CipherRC4, v12(suites(ecdheGCM, ecdheRC4)), map[string]scanner.Severity{modern: scanner.High, inter: scanner.High, old: scanner.High}},
		{CipherNull, v12(suites(ecdheGCM, rsaNull)), map[string]scanner.Severity{modern: scanner.Critical, inter: scanner.Critical, old: scanner.Critical}},
		{CipherNoForwardSecrecy, v12(suites(ecdheGCM, rsaGCM)), map[string]scanner.Severity{modern: scanner.Medium, inter: scanner.Medium, old: scanner.Low}},
		{CipherNoForwardSecrecy, map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS12: suites(rsaGCM)},
			map[string]scanner.Severity{modern: scanner.High, inter: scanner.High, old: scanner.Medium}},
		// NULL suites are reported by cipher-null alone.
		{CipherNoForwardSecrecy, v12(suites(ecdheGCM, rsaNull)), map[string]scanner.Severity{modern: 0, inter: 0, old: 0}},
		{CipherCBCOnly, tls10, map[string]scanner.Severity{modern: scanner.Medium, inter: scanner.Medium, old: scanner.Low}},
		{CipherCBCOnly, v12(suites(ecdheCBC)), map[string]scanner.Severity{modern: 0, inter: 0, old: 0}}, // TLS 1.3 is AEAD
		{DHWeakGroup, v12(dh(1024)), map[string]scanner.Severity{modern: scanner.Medium, inter: scanner.Medium, old: scanner.Low}},
		{DHWeakGroup, v12(dh(768)), map[string]scanner.Severity{modern: scanner.High, inter: scanner.High, old: scanner.High}},
		{DHWeakGroup, v12(dh(2048)), map[string]scanner.Severity{modern: 0, inter: 0, old: 0}},
		{CipherWeakPreferred, v12(suites(ecdheRC4, ecdheGCM)), map[string]scanner.Severity{modern: scanner.Medium, inter: scanner.Medium, old: scanner.Medium}},
		{CipherWeakPreferred, v12(suites(ecdheCBC, ecdheGCM)), map[string]scanner.Severity{inter: scanner.Low}},
		{CipherWeakPreferred, v12(suites(rsaNull, ecdheGCM)), map[string]scanner.Severity{inter: scanner.High}},
		{CipherWeakPreferred, v12(suites(ecdheGCM, ecdheCBC, rsaGCM, ecdhe3DES)), map[string]scanner.Severity{inter: 0}},
	}
	for _, c := range cases {
		for profile, want := range c.want {
			if got := run(t, c.check, enumResult(profile, c.versions)); got != want {
				t.Errorf("%s under %q on %v: severity %v, want %v", c.check.ID, profile, c.versions, got, want)
			}
		}
	}
}

// A server that picks by the client's order has no order of its own to
// blame.
func TestWeakPreferredNeedsServerOrder(t *testing.T) {
	r := enumResult("", map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS12: suites(ecdheRC4, ecdheGCM)})
	r.Enum.Version(tlsinfo.VersionTLS12).SuitePreference = enum.PreferClient
	if got := run(t, CipherWeakPreferred, r); got != 0 {
		t.Errorf("fired (%v) on a client-order server", got)
	}
}

// A version whose probe failed is not "not accepted": the checks that
// conclude from absence must say they could not decide.
func TestUndecidedVersion(t *testing.T) {
	r := enumResult("", map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS12: suites(ecdheGCM)})
	r.Enum.Version(tlsinfo.VersionTLS13).Error = "could not tell whether TLS 1.3 is accepted: timeout"
	var findings []scanner.Finding
	err := ProtocolNoTLS13.Run(scanner.NewPass(ProtocolNoTLS13, r, time.Now(), func(f scanner.Finding) { findings = append(findings, f) }))
	if err == nil || len(findings) != 0 {
		t.Errorf("err %v, findings %v; want a check error and no finding", err, findings)
	}
}
