package report

import (
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// The fixtures are hand-built results with a fixed clock and
// deterministic certificates (Ed25519 keys from fixed seeds sign
// deterministically), so golden files stay byte-stable with nothing
// committed that can expire.

var fixtureStart = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func fixtureMeta() Meta {
	return Meta{Tool: "tlsaudit", Version: "test", Started: fixtureStart, TargetsFile: "targets.yaml", Checks: checks.All()}
}

func fixtureCert(t testing.TB, seed byte, cn string, names []string, notAfter time.Time) *x509.Certificate {
	t.Helper()
	key := ed25519.NewKeyFromSeed(make32(seed))
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(int64(seed) + 1000),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     notAfter,
		DNSNames:     names,
	}
	der, err := x509.CreateCertificate(nil, tpl, tpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func make32(b byte) []byte {
	s := make([]byte, 32)
	for i := range s {
		s[i] = b
	}
	return s
}

func fixtureHandshake(c *x509.Certificate, trust handshake.Trust) *handshake.Handshake {
	return &handshake.Handshake{
		Client: "crypto/tls", Version: 0x0304, CipherSuite: 0x1301,
		Chain: []*x509.Certificate{c}, RawChain: [][]byte{c.Raw},
		Trust:       trust,
		ConnectTime: 2 * time.Millisecond, HandshakeTime: 5 * time.Millisecond,
	}
}

func fixtureResults(t testing.TB) []*scanner.Result {
	loc := func(line int) fileloc.Location { return fileloc.Location{File: "targets.yaml", Line: line, Column: 5} }
	target := func(i int, name, host string, line int) *scanner.Target {
		return &scanner.Target{Index: i, Name: name, Host: host, Port: 443, ServerName: host, Source: loc(line)}
	}
	good := fixtureCert(t, 1, "api.example.com", []string{"api.example.com"}, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	expired := fixtureCert(t, 2, "old.example.com", []string{"old.example.com"}, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	hostile := fixtureCert(t, 3, "evil\x1b]0;pwned\x07\u202eexe.com", []string{"evil.example.com"}, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	trusted := handshake.Trust{Status: handshake.TrustOK, Roots: "system", Anchor: "CN=Example Root", At: fixtureStart}
	api := target(0, "api", "api.example.com", 3)
	api.Sources = []fileloc.Location{{File: "app/lib/config.dart", Line: 4}, {File: "app/.env", Line: 2}}
	// "old" has accepted risks: one in force, one that ran out.
	old := target(1, "old", "old.example.com", 7)
	old.Accept = []scanner.Acceptance{
		{Check: "hostname-mismatch", Until: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), Reason: "www alias retired in January, ticket OPS-42", Source: loc(8)},
		{Check: "cert-*", Until: time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC), Reason: "renewal in progress", Source: loc(11)},
	}
	return []*scanner.Result{
		{
			Target: api, Addr: "192.0.2.1:443", Resolved: []string{"192.0.2.1"},
			Start: fixtureStart, Duration: 40 * time.Millisecond, Handshake: fixtureHandshake(good, trusted),
			Enum: modernEnum(),
			HTTP: fixtureHTTPGood(),
		},
		{
			Target: old, Addr: "192.0.2.2:443", Resolved: []string{"192.0.2.2"},
			Start: fixtureStart, Duration: 41 * time.Millisecond, Handshake: fixtureHandshake(expired, trusted),
			Findings: []scanner.Finding{
				{CheckID: "cert-expired", Severity: scanner.Critical, Message: "the leaf certificate expired 22 days ago, on 2026-11-01",
					Evidence: map[string]string{"not_after": "2026-11-01T00:00:00Z"}, Acceptance: &old.Accept[1], AcceptanceExpired: true},
				{CheckID: "hostname-mismatch", Severity: scanner.High, Message: "certificate covers old.example.com, not www.old.example.com",
					Acceptance: &old.Accept[0]},
				// A finding under an ID that is no check's (a zlint lint):
				// SARIF must still give it a rule.
				{CheckID: "zlint/e_sub_cert_aia_missing", Severity: scanner.Low, Message: "subscriber certificate has no authority information access extension"},
			},
		},
		{
			Target: target(2, "down", "down.example.com", 10), Addr: "192.0.2.3:443", Resolved: []string{"192.0.2.3"},
			Start: fixtureStart, Duration: 10 * time.Second,
			Err: &netx.ScanError{Kind: netx.KindConnectTimeout, Err: errString("no answer to connect (SYN unanswered or filtered)")},
		},
		{
			Target: target(3, "evil\x1b[2J\nname", "evil.example.com", 13), Addr: "192.0.2.4:443", Resolved: []string{"192.0.2.4"},
			Start: fixtureStart, Duration: 42 * time.Millisecond,
			Handshake: fixtureHandshake(hostile, handshake.Trust{Status: handshake.TrustSelfSigned, Roots: "system", Detail: "the leaf certificate is self-signed and not among the trusted roots", At: fixtureStart}),
			Findings: []scanner.Finding{
				{CheckID: "chain-self-signed", Severity: scanner.High, Message: "subject \"" + hostile.Subject.CommonName + "\" \xff\xfe is self-signed"},
				{CheckID: "http-plaintext-fallback", Severity: scanner.High, Message: "http://evil.example.com/ answers \"HTTP/1.1 200 \x1b[31mOK\" over plain HTTP instead of redirecting to HTTPS",
					Evidence: map[string]string{"status_line": "HTTP/1.1 200 \x1b[31mOK", "body_prefix": "<h1>\x1b]0;pwned\x07\u202e</h1>\xff"}},
			},
			HTTP:        fixtureHTTPHostile(),
			CheckErrors: []scanner.CheckError{{CheckID: "hostname-mismatch", Err: "check panicked: boom"}},
		},
		{
			// A server no client library completes a handshake with, still
			// enumerated: an error and findings both.
			Target: target(5, "legacy", "legacy.example.com", 19), Addr: "192.0.2.5:443", Resolved: []string{"192.0.2.5"},
			Start: fixtureStart, Duration: 30 * time.Millisecond,
			Err:  &netx.ScanError{Kind: netx.KindHandshake, Err: errString("server sent TLS alert \"handshake failure\"")},
			Enum: legacyEnum(),
			Findings: []scanner.Finding{
				{CheckID: "cipher-export", Severity: scanner.Critical, Message: "server accepts 1 export-grade suite: TLS_RSA_EXPORT_WITH_RC4_40_MD5",
					Evidence: map[string]string{"suites": "TLS 1.0: TLS_RSA_EXPORT_WITH_RC4_40_MD5", "profile": "intermediate"}},
				{CheckID: "dh-weak-group", Severity: scanner.Medium, Message: "server's DHE key exchange uses a 1024-bit group (TLS_DHE_RSA_WITH_AES_128_CBC_SHA)"},
			},
		},
		{
			Target: target(4, "nxdomain", "missing.example.com", 16),
			Start:  fixtureStart,
			Err:    &netx.ScanError{Kind: netx.KindDNS, Err: errString("lookup missing.example.com: no such host")},
		},
		// An app's source tree (scan --discover): code findings, each with
		// the line to fix.
		{
			Target: &scanner.Target{Index: 6, Name: "app (source)", SourceTree: "app"},
			Start:  fixtureStart, Duration: 5 * time.Millisecond,
			Findings: []scanner.Finding{
				{CheckID: "code-tls-verification-disabled", Severity: scanner.High,
					Message:  "badCertificateCallback returns true: every certificate that fails verification is accepted",
					Location: fileloc.Location{File: "app/lib/api/client.dart", Line: 15, Column: 12}},
				{CheckID: "code-cleartext-url", Severity: scanner.Medium, Message: "http://legacy.example.net is called in cleartext",
					Evidence: map[string]string{"host": "legacy.example.net"}, Location: fileloc.Location{File: "app/lib/config.dart", Line: 8, Column: 37}},
			},
		},
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func fixtureSummary(rs []*scanner.Result) *Summary {
	s := NewSummary()
	for _, r := range rs {
		s.Add(r)
	}
	s.Finished = fixtureStart.Add(12 * time.Second)
	s.Verdict = &Verdict{FailOn: "high", Failed: true, Reasons: []string{
		"worst finding: critical cert-expired on old", "first target not scanned: down (connect-timeout)",
		"5 findings at or above --fail-on high", "3 targets could not be scanned (--errors-fail=false to allow)"}}
	return s
}

// modernEnum is what enumerating Go's default server shows.
func modernEnum() *enum.Enumeration {
	e := &enum.Enumeration{Connections: 30, Duration: 15 * time.Millisecond}
	for _, v := range tlsinfo.Versions {
		e.Versions = append(e.Versions, enum.ProtocolSupport{Version: v})
	}
	e.Versions[3] = enum.ProtocolSupport{Version: tlsinfo.VersionTLS12, Accepted: true,
		Suites:          []enum.AcceptedSuite{{ID: 0xC02B, Group: 0x001D}, {ID: 0xC009, Group: 0x001D}},
		SuitePreference: enum.PreferServer, Groups: []uint16{0x001D, 0x0017}, GroupPreference: enum.PreferClient}
	e.Versions[4] = enum.ProtocolSupport{Version: tlsinfo.VersionTLS13, Accepted: true,
		Suites:          []enum.AcceptedSuite{{ID: 0x1301, Group: 0x11EC}, {ID: 0x1303, Group: 0x11EC}},
		SuitePreference: enum.PreferServer, Groups: []uint16{0x11EC, 0x001D}, GroupPreference: enum.PreferServer}
	return e
}

// legacyEnum accepts TLS 1.0 with an export suite and 1024-bit DHE, and
// could not finish probing TLS 1.2.
func legacyEnum() *enum.Enumeration {
	e := &enum.Enumeration{Connections: 9, Duration: 20 * time.Millisecond}
	for _, v := range tlsinfo.Versions {
		e.Versions = append(e.Versions, enum.ProtocolSupport{Version: v})
	}
	e.Versions[1] = enum.ProtocolSupport{Version: tlsinfo.VersionTLS10, Accepted: true,
		Suites:          []enum.AcceptedSuite{{ID: 0x0033, DHBits: 1024}, {ID: 0x0003}},
		SuitePreference: enum.PreferServer}
	e.Versions[3].Error = "could not tell whether TLS 1.2 is accepted: handshake-timeout: connected, but the TLS handshake did not complete in time"
	return e
}
