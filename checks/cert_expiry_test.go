package checks_test

import (
	"context"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// TestCertExpiredByPath: an expired certificate clients verify is
// critical; one the server sends off the verified path (AddTrust's
// expired cross-certificate, 2020) is low and says why.
func TestCertExpiredByPath(t *testing.T) {
	p := newPKI(t)
	day := 24 * time.Hour
	leaf := issue(t, p, lab.CertSpec{})
	retired := issue(t, p, lab.CertSpec{CN: "retired root", CA: true, Issuer: p.Root})
	cross := issue(t, p, lab.CertSpec{CN: p.Root.Cert.Subject.CommonName, CA: true, Issuer: retired, Key: p.Root.Key,
		From: -900 * day, Until: -30 * day})
	expiredInter := issue(t, p, lab.CertSpec{CN: "old inter", CA: true, Issuer: p.Root, From: -900 * day, Until: -5 * day})
	leafOfExpired := issue(t, p, lab.CertSpec{Issuer: expiredInter})
	verified := func(path ...*x509.Certificate) *handshake.Handshake {
		return &handshake.Handshake{Trust: handshake.Trust{Status: handshake.TrustOK, Verified: path}}
	}
	cases := []struct {
		name  string
		h     *handshake.Handshake
		chain []*x509.Certificate
		want  scanner.Severity
		path  string
	}{
		{"expired cross-certificate off the verified path", verified(leaf.Cert, p.Inter.Cert, p.Root.Cert),
			[]*x509.Certificate{leaf.Cert, p.Inter.Cert, cross.Cert}, scanner.Low, "false"},
		{"expired intermediate on the verified path", verified(leafOfExpired.Cert, expiredInter.Cert, p.Root.Cert),
			[]*x509.Certificate{leafOfExpired.Cert, expiredInter.Cert}, scanner.Critical, "true"},
		{"unverified chain: the served path counts", &handshake.Handshake{Trust: handshake.Trust{Status: handshake.TrustUnknown}},
			[]*x509.Certificate{leafOfExpired.Cert, expiredInter.Cert}, scanner.Critical, "true"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := mustRun(t, checks.CertExpired, nil, c.h, c.chain...)
			if len(fs) != 1 || fs[0].Severity != c.want || fs[0].Evidence["on_verified_path"] != c.path {
				t.Fatalf("findings %+v, want one %v with on_verified_path %s", fs, c.want, c.path)
			}
			if c.want == scanner.Low && !strings.Contains(fs[0].Message, "not on the path clients verify") {
				t.Errorf("message %q does not say the certificate is off the verified path", fs[0].Message)
			}
		})
	}
}

// TestLabExpiredCrossRootIsLow: crypto/x509 really verifies around the
// expired cross-certificate the lab endpoint sends.
func TestLabExpiredCrossRootIsLow(t *testing.T) {
	l, err := lab.Start(lab.Options{Only: []string{"expired-cross-root"}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := scanner.New(scanner.Options{Checks: []*scanner.Check{checks.CertExpired}, Resolver: l.Resolver()})
	var r *scanner.Result
	s.ScanTarget(context.Background(), l.Targets()[0], func(got *scanner.Result) { r = got })
	if r.Err != nil || len(r.Findings) != 1 || r.Findings[0].Severity != scanner.Low {
		t.Fatalf("error %v, findings %+v; want one low cert-expired", r.Err, r.Findings)
	}
}
