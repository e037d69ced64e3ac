package checks_test

import (
	"crypto/dsa" //nolint:staticcheck // DSA keys must still be recognised to be reported.
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

var testNow = time.Date(2026, time.November, 23, 12, 0, 0, 0, time.UTC)

func newPKI(t *testing.T) *lab.PKI {
	t.Helper()
	p, err := lab.NewPKI(testNow)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func issue(t *testing.T, p *lab.PKI, spec lab.CertSpec) *lab.Cert {
	t.Helper()
	if spec.CN == "" {
		spec.CN = "api.example.test"
		if spec.Names == nil {
			spec.Names = []string{spec.CN}
		}
	}
	if spec.Issuer == nil {
		spec.Issuer = p.Inter
	}
	c, err := p.Issue(spec)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// run runs one check on a handshake with chain (and h's other fields) for
// a target t, and returns its findings and error.
func run(c *scanner.Check, t *scanner.Target, h *handshake.Handshake, chain ...*x509.Certificate) ([]scanner.Finding, error) {
	if t == nil {
		t = &scanner.Target{Host: "api.example.test", ServerName: "api.example.test", Port: 443}
	}
	if h == nil {
		h = &handshake.Handshake{}
	}
	if chain != nil {
		h.Chain = chain
	}
	var out []scanner.Finding
	err := c.Run(scanner.NewPass(c, &scanner.Result{Target: t, Handshake: h}, testNow, func(f scanner.Finding) { out = append(out, f) }))
	return out, err
}

// mustRun is run for a check that must decide: an error fails the test.
func mustRun(t *testing.T, c *scanner.Check, target *scanner.Target, h *handshake.Handshake, chain ...*x509.Certificate) []scanner.Finding {
	t.Helper()
	fs, err := run(c, target, h, chain...)
	if err != nil {
		t.Fatalf("%s could not decide: %v", c.ID, err)
	}
	return fs
}

func severities(fs []scanner.Finding) []scanner.Severity {
	var out []scanner.Severity
	for _, f := range fs {
		out = append(out, f.Severity)
	}
	return out
}

func ids(fs []scanner.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.CheckID)
	}
	return out
}

func TestKeyWeak(t *testing.T) {
	p := newPKI(t)
	rsaKey := func(bits int) *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	good := issue(t, p, lab.CertSpec{})
	weakRSA := issue(t, p, lab.CertSpec{Key: rsaKey(1024)})
	strongRSA := issue(t, p, lab.CertSpec{Key: rsaKey(2048)})
	weakRoot, err := p.Issue(lab.CertSpec{CN: "weak root", CA: true, Key: rsaKey(1024)})
	if err != nil {
		t.Fatal(err)
	}

	// Key types Go cannot issue or serve are checked on parsed fields.
	dsaCert := *good.Cert
	dsaCert.PublicKey = &dsa.PublicKey{Parameters: dsa.Parameters{P: new(big.Int).Lsh(big.NewInt(1), 2047)}}
	p224, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	p224Cert := *good.Cert
	p224Cert.PublicKey = &p224.PublicKey
	rsa512Cert := *good.Cert
	rsa512Cert.PublicKey = &rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 511), E: 65537}

	cases := []struct {
		name  string
		chain []*x509.Certificate
		want  []scanner.Severity
	}{
		{"P-256 leaf", []*x509.Certificate{good.Cert, p.Inter.Cert}, nil},
		{"RSA-2048 leaf", []*x509.Certificate{strongRSA.Cert, p.Inter.Cert}, nil},
		{"RSA-1024 leaf", []*x509.Certificate{weakRSA.Cert, p.Inter.Cert}, []scanner.Severity{scanner.High}},
		{"RSA-1024 intermediate", []*x509.Certificate{good.Cert, weakRSA.Cert}, []scanner.Severity{scanner.High}},
		{"RSA-512 is critical", []*x509.Certificate{&rsa512Cert}, []scanner.Severity{scanner.Critical}},
		{"DSA", []*x509.Certificate{&dsaCert}, []scanner.Severity{scanner.High}},
		{"P-224", []*x509.Certificate{&p224Cert}, []scanner.Severity{scanner.High}},
		{"a weak root sent along is not judged", []*x509.Certificate{good.Cert, p.Inter.Cert, weakRoot.Cert}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs, err := run(checks.KeyWeak, nil, nil, c.chain...)
			if err != nil {
				t.Fatal(err)
			}
			if got := severities(fs); !slices.Equal(got, c.want) {
				t.Errorf("severities %v, want %v (%v)", got, c.want, fs)
			}
		})
	}
}

func TestSignatureWeak(t *testing.T) {
	p := newPKI(t)
	good := issue(t, p, lab.CertSpec{})
	sha1 := issue(t, p, lab.CertSpec{Tweak: func(c *x509.Certificate) { c.SignatureAlgorithm = x509.ECDSAWithSHA1 }})
	sha1Inter := issue(t, p, lab.CertSpec{CN: "sha1 inter", CA: true, Issuer: p.Root, Tweak: func(c *x509.Certificate) { c.SignatureAlgorithm = x509.ECDSAWithSHA1 }})
	sha1Root, err := p.Issue(lab.CertSpec{CN: "sha1 root", CA: true, Tweak: func(c *x509.Certificate) { c.SignatureAlgorithm = x509.ECDSAWithSHA1 }})
	if err != nil {
		t.Fatal(err)
	}
	md5 := *good.Cert
	md5.SignatureAlgorithm = x509.MD5WithRSA

	cases := []struct {
		name  string
		chain []*x509.Certificate
		want  []scanner.Severity
	}{
		{"SHA-256", []*x509.Certificate{good.Cert, p.Inter.Cert}, nil},
		{"SHA-1 leaf", []*x509.Certificate{sha1.Cert, p.Inter.Cert}, []scanner.Severity{scanner.High}},
		{"SHA-1 intermediate", []*x509.Certificate{good.Cert, sha1Inter.Cert}, []scanner.Severity{scanner.High}},
		{"MD5 is critical", []*x509.Certificate{&md5}, []scanner.Severity{scanner.Critical}},
		{"a root's SHA-1 self-signature does not count", []*x509.Certificate{good.Cert, p.Inter.Cert, sha1Root.Cert}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := mustRun(t, checks.SignatureWeak, nil, nil, c.chain...)
			if got := severities(fs); !slices.Equal(got, c.want) {
				t.Errorf("severities %v, want %v (%v)", got, c.want, fs)
			}
		})
	}
}

func TestCertLifetimeTooLong(t *testing.T) {
	p := newPKI(t)
	day := 24 * time.Hour
	cases := []struct {
		name     string
		from     time.Time
		days     time.Duration // validity, counted inclusively as the BRs do
		system   bool
		want     bool
		severity scanner.Severity
	}{
		{"398 days in 2021", time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC), 398, false, false, 0},
		{"399 days in 2021", time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC), 399, false, true, scanner.Low},
		{"399 days in 2021, publicly trusted", time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC), 399, true, true, scanner.Medium},
		{"825 days in 2019", time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC), 825, false, false, 0},
		{"826 days in 2019", time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC), 826, false, true, scanner.Low},
		{"200 days after 15 March 2026", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), 200, false, false, 0},
		{"201 days after 15 March 2026", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), 201, false, true, scanner.Low},
		{"398 days the day before SC-081", time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), 398, false, false, 0},
		{"ten years before any rule", time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC), 3650, false, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			leaf := issue(t, p, lab.CertSpec{NotBefore: c.from, NotAfter: c.from.Add(c.days*day - time.Second)})
			// A target with roots of its own is verified against them; nil
			// roots are the system's.
			target := &scanner.Target{Host: "api.example.test", ServerName: "api.example.test", Port: 443, Roots: p.RootPool()}
			h := &handshake.Handshake{Trust: handshake.Trust{Status: handshake.TrustOK, Roots: "lab"}}
			if c.system {
				target.Roots, h.Trust.Roots = nil, "system"
			}
			fs := mustRun(t, checks.CertLifetimeTooLong, target, h, leaf.Cert, p.Inter.Cert)
			if (len(fs) > 0) != c.want {
				t.Fatalf("findings %v, want fired=%v", fs, c.want)
			}
			if c.want && fs[0].Severity != c.severity {
				t.Errorf("severity %v, want %v", fs[0].Severity, c.severity)
			}
		})
	}
}

func TestCertMissingSAN(t *testing.T) {
	p := newPKI(t)
	cnOnly := issue(t, p, lab.CertSpec{CN: "api.example.test", Names: []string{}})
	ipOnly := issue(t, p, lab.CertSpec{CN: "x", Names: []string{"192.0.2.1"}})
	withSAN := issue(t, p, lab.CertSpec{})
	if fs := mustRun(t, checks.CertMissingSAN, nil, nil, cnOnly.Cert); len(fs) != 1 || !strings.Contains(fs[0].Message, "only in its subject CN") {
		t.Errorf("CN-only leaf: %v", fs)
	}
	for _, c := range []*lab.Cert{ipOnly, withSAN} {
		if fs := mustRun(t, checks.CertMissingSAN, nil, nil, c.Cert); len(fs) != 0 {
			t.Errorf("leaf with SANs %v %v: %v", c.Cert.DNSNames, c.Cert.IPAddresses, fs)
		}
	}
}

func TestChainOrderAndRoot(t *testing.T) {
	p := newPKI(t)
	leaf := issue(t, p, lab.CertSpec{})
	sub := issue(t, p, lab.CertSpec{CN: "sub CA", CA: true, Issuer: p.Inter})
	subLeaf := issue(t, p, lab.CertSpec{Issuer: sub})
	cases := []struct {
		name                string
		chain               []*x509.Certificate
		order, root         int
		orderMessageContain string
	}{
		{"leaf and intermediate", []*x509.Certificate{leaf.Cert, p.Inter.Cert}, 0, 0, ""},
		{"leaf alone", []*x509.Certificate{leaf.Cert}, 0, 0, ""},
		{"in order with root", []*x509.Certificate{leaf.Cert, p.Inter.Cert, p.Root.Cert}, 0, 1, ""},
		{"three levels in order", []*x509.Certificate{subLeaf.Cert, sub.Cert, p.Inter.Cert}, 0, 0, ""},
		{"out of order", []*x509.Certificate{subLeaf.Cert, p.Inter.Cert, sub.Cert}, 1, 0, "out of order"},
		{"duplicate", []*x509.Certificate{leaf.Cert, p.Inter.Cert, p.Inter.Cert}, 1, 0, "more than once"},
		{"unrelated extra", []*x509.Certificate{leaf.Cert, p.Inter.Cert, p.OtherInter.Cert}, 1, 0, "not part of the leaf's chain"},
		{"unrelated root", []*x509.Certificate{leaf.Cert, p.Inter.Cert, p.OtherRoot.Cert}, 1, 1, "not part of the leaf's chain"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			order := mustRun(t, checks.ChainOrder, nil, nil, c.chain...)
			root := mustRun(t, checks.ChainSendsRoot, nil, nil, c.chain...)
			if len(order) != c.order || len(root) != c.root {
				t.Fatalf("chain-order %v, chain-sends-root %v; want %d and %d", order, root, c.order, c.root)
			}
			if c.order > 0 && !strings.Contains(order[0].Message, c.orderMessageContain) {
				t.Errorf("message %q lacks %q", order[0].Message, c.orderMessageContain)
			}
		})
	}
}

func TestPinMismatch(t *testing.T) {
	p := newPKI(t)
	leaf := issue(t, p, lab.CertSpec{})
	chain := []*x509.Certificate{leaf.Cert, p.Inter.Cert}
	verified := handshake.Trust{Status: handshake.TrustOK, Verified: []*x509.Certificate{leaf.Cert, p.Inter.Cert, p.Root.Cert}}
	target := func(pins ...*x509.Certificate) *scanner.Target {
		t := &scanner.Target{ServerName: "api.example.test"}
		for _, c := range pins {
			t.Pins = append(t.Pins, certinfo.SPKIPin(c))
		}
		return t
	}
	cases := []struct {
		name   string
		target *scanner.Target
		trust  handshake.Trust
		fires  bool
	}{
		{"no pins", target(), verified, false},
		{"leaf pinned", target(leaf.Cert), verified, false},
		{"intermediate pinned among others", target(p.OtherRoot.Cert, p.Inter.Cert), verified, false},
		{"root pinned, not served but verified", target(p.Root.Cert), verified, false},
		{"root pinned, chain not verified", target(p.Root.Cert), handshake.Trust{Status: handshake.TrustUnknown}, true},
		{"other CA pinned", target(p.OtherRoot.Cert, p.OtherInter.Cert), verified, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := mustRun(t, checks.PinMismatch, c.target, &handshake.Handshake{Trust: c.trust}, chain...)
			if (len(fs) > 0) != c.fires {
				t.Fatalf("findings %v, want fired=%v", fs, c.fires)
			}
			if c.fires && (fs[0].Severity != scanner.Critical || !strings.Contains(fs[0].Evidence["chain_pins"], "sha256/"+certinfo.SPKIPin(leaf.Cert))) {
				t.Errorf("finding %+v", fs[0])
			}
		})
	}
}

func ocspFor(t *testing.T, p *lab.PKI, signer *lab.Cert, leaf *lab.Cert, status int, next time.Time) []byte {
	t.Helper()
	tpl := ocsp.Response{Status: status, SerialNumber: leaf.Cert.SerialNumber, ThisUpdate: testNow.Add(-time.Hour), NextUpdate: next}
	if status == ocsp.Revoked {
		tpl.RevokedAt, tpl.RevocationReason = testNow.Add(-48*time.Hour), ocsp.Superseded
	}
	der, err := ocsp.CreateResponse(signer.Cert, signer.Cert, tpl, signer.Key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestOCSPChecks(t *testing.T) {
	p := newPKI(t)
	leaf := issue(t, p, lab.CertSpec{})
	week := testNow.Add(7 * 24 * time.Hour)
	past := testNow.Add(-24 * time.Hour)
	cases := []struct {
		name             string
		staple           []byte
		online           *handshake.OnlineOCSP
		revoked, expired bool
		checkErr         bool
		verified         string
	}{
		{"no staple", nil, nil, false, false, false, ""},
		{"good staple", ocspFor(t, p, p.Inter, leaf, ocsp.Good, week), nil, false, false, false, ""},
		{"revoked staple", ocspFor(t, p, p.Inter, leaf, ocsp.Revoked, week), nil, true, false, false, "true"},
		{"revoked staple from a stranger cannot decide", ocspFor(t, p, p.OtherInter, leaf, ocsp.Revoked, week), nil, false, false, true, ""},
		{"expired good staple", ocspFor(t, p, p.Inter, leaf, ocsp.Good, past), nil, false, true, false, ""},
		{"garbage staple", []byte("not ocsp"), nil, false, false, false, ""},
		{"online revoked", nil, &handshake.OnlineOCSP{URL: "http://ocsp.test/", Response: ocspFor(t, p, p.Inter, leaf, ocsp.Revoked, week)}, true, false, false, "true"},
		{"online good", nil, &handshake.OnlineOCSP{URL: "http://ocsp.test/", Response: ocspFor(t, p, p.Inter, leaf, ocsp.Good, week)}, false, false, false, ""},
		{"online failed, nothing stapled: cannot decide", nil, &handshake.OnlineOCSP{URL: "http://ocsp.test/", Err: "HTTP 500"}, false, false, true, ""},
		{"online failed, good staple decides", ocspFor(t, p, p.Inter, leaf, ocsp.Good, week), &handshake.OnlineOCSP{URL: "http://ocsp.test/", Err: "HTTP 500"}, false, false, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := &handshake.Handshake{OCSPStaple: c.staple, OnlineOCSP: c.online, Chain: []*x509.Certificate{leaf.Cert, p.Inter.Cert}}
			h.ReadOCSP() // as the scanner does after the handshake
			rev, err := run(checks.CertRevoked, nil, h, leaf.Cert, p.Inter.Cert)
			if (err != nil) != c.checkErr {
				t.Errorf("cert-revoked error %v, want error=%v", err, c.checkErr)
			}
			if (len(rev) > 0) != c.revoked {
				t.Errorf("cert-revoked %v, want fired=%v", rev, c.revoked)
			}
			if c.revoked && len(rev) > 0 {
				if rev[0].Evidence["signature_verified"] != c.verified || rev[0].Evidence["reason"] != "superseded" || rev[0].Evidence["source"] != "ocsp" {
					t.Errorf("evidence %v", rev[0].Evidence)
				}
			}
			exp := mustRun(t, checks.OCSPStapleExpired, nil, h, leaf.Cert, p.Inter.Cert)
			if (len(exp) > 0) != c.expired {
				t.Errorf("ocsp-staple-expired %v, want fired=%v", exp, c.expired)
			}
		})
	}
}

// TestPerCertificateFindingsAreBounded checks that a chain of many bad
// certificates (a hostile server) gives a few named findings and one for
// the rest, carrying the worst severity, not one finding per certificate.
func TestPerCertificateFindingsAreBounded(t *testing.T) {
	p := newPKI(t)
	chain := []*x509.Certificate{issue(t, p, lab.CertSpec{}).Cert}
	for range 20 {
		chain = append(chain, issue(t, p, lab.CertSpec{CN: "stale", Names: []string{"stale.test"}, From: -100 * 24 * time.Hour, Until: -24 * time.Hour}).Cert)
	}
	const named = 5 // checks.maxCertFindings
	fs := mustRun(t, checks.CertExpired, nil, nil, chain...)
	if len(fs) != named+1 {
		t.Fatalf("%d findings, want %d", len(fs), named+1)
	}
	last := fs[len(fs)-1]
	if last.Evidence["more"] != "15" || !strings.Contains(last.Message, "15 more") {
		t.Errorf("summary finding = %+v", last)
	}
	if last.Severity != fs[0].Severity {
		t.Errorf("summary severity %s, named findings %s", last.Severity, fs[0].Severity)
	}
}

// TestCertLifetimePublicTrustIsNilRoots: a CA file whose label happens to
// be "system" is still a private trust store.
func TestCertLifetimePublicTrustIsNilRoots(t *testing.T) {
	p := newPKI(t)
	from := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	leaf := issue(t, p, lab.CertSpec{NotBefore: from, NotAfter: from.Add(500 * 24 * time.Hour)})
	target := &scanner.Target{Host: "api.example.test", ServerName: "api.example.test", Port: 443, Roots: p.RootPool(), RootsName: "system"}
	h := &handshake.Handshake{Trust: handshake.Trust{Status: handshake.TrustOK, Roots: "system"}}
	fs := mustRun(t, checks.CertLifetimeTooLong, target, h, leaf.Cert, p.Inter.Cert)
	if len(fs) != 1 || fs[0].Severity != scanner.Low {
		t.Errorf("findings %+v, want one of low severity", fs)
	}
}
