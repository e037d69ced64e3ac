package checks_test

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

func TestCertRevokedByCRL(t *testing.T) {
	p := newPKI(t)
	leaf := issue(t, p, lab.CertSpec{})
	revokedAt := testNow.Add(-48 * time.Hour)
	current := func(c handshake.CRLCheck) *handshake.CRLCheck {
		c.URL, c.ThisUpdate, c.NextUpdate = "http://crl.test/ca.crl", testNow.Add(-time.Hour), testNow.Add(24*time.Hour)
		return &c
	}
	listed := current(handshake.CRLCheck{SignatureVerified: true, Revoked: true, RevokedAt: revokedAt, RevocationReason: "keyCompromise"})
	notListed := current(handshake.CRLCheck{SignatureVerified: true})
	expired := current(handshake.CRLCheck{SignatureVerified: true})
	expired.NextUpdate = testNow.Add(-time.Hour)
	broken := &handshake.CRLCheck{URL: "http://crl.test/ca.crl", Error: "CRL distribution point answered HTTP 500"}
	cases := []struct {
		name             string
		crls             []*handshake.CRLCheck
		online           *handshake.OnlineOCSP
		fired, undecided bool
	}{
		{"listed", []*handshake.CRLCheck{listed}, nil, true, false},
		{"not listed", []*handshake.CRLCheck{notListed}, nil, false, false},
		{"not listed decides although the OCSP responder failed", []*handshake.CRLCheck{notListed},
			&handshake.OnlineOCSP{URL: "http://ocsp.test/", Err: "HTTP 500"}, false, false},
		{"expired CRL cannot decide", []*handshake.CRLCheck{expired}, nil, false, true},
		{"unfetched CRL cannot decide", []*handshake.CRLCheck{broken}, nil, false, true},
		{"listed in the second of two", []*handshake.CRLCheck{broken, listed}, nil, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := &handshake.Handshake{CRLs: c.crls, OnlineOCSP: c.online, Chain: []*x509.Certificate{leaf.Cert, p.Inter.Cert}}
			h.ReadOCSP()
			fs, err := run(checks.CertRevoked, nil, h, leaf.Cert, p.Inter.Cert)
			if (err != nil) != c.undecided {
				t.Errorf("error %v, want undecided=%v", err, c.undecided)
			}
			if (len(fs) > 0) != c.fired {
				t.Fatalf("findings %v, want fired=%v", fs, c.fired)
			}
			if c.fired {
				ev := fs[0].Evidence
				if ev["source"] != "crl" || ev["reason"] != "keyCompromise" || ev["revoked_at"] != revokedAt.Format(time.RFC3339) ||
					ev["from"] != `CRL "http://crl.test/ca.crl"` {
					t.Errorf("evidence %v", ev)
				}
			}
		})
	}
}
