package lab

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"math/big"
	"net/http"
	"sync/atomic"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// crlEndpoint serves a leaf with one CRL distribution point, a lab HTTP
// server publishing a CRL signed by the lab intermediate that lists the
// leaf's serial number when revoked (key compromise, two days before the
// lab's clock) and another certificate's otherwise. Scanned with online
// revocation checks.
func crlEndpoint(name, doc string, want []string, revoked bool) *Endpoint {
	return &Endpoint{
		Name: name,
		Doc:  doc,
		Want: want,
		Start: serveChain(name, func(env *Env, sn string) (tls.Certificate, error) {
			var crl atomic.Pointer[[]byte]
			ln, _, err := env.ListenCompanion()
			if err != nil {
				return tls.Certificate{}, err
			}
			env.ServePlainHTTP(ln, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				der := crl.Load()
				if der == nil {
					http.Error(w, "no CRL yet", http.StatusServiceUnavailable)
					return
				}
				w.Header().Set("Content-Type", "application/pkix-crl")
				_, _ = w.Write(*der)
			}))
			url := "http://" + ln.Addr().String() + "/inter.crl"
			c, err := leaf(CertSpec{Tweak: func(t *x509.Certificate) { t.CRLDistributionPoints = []string{url} }})(env, sn)
			if err != nil {
				return tls.Certificate{}, err
			}
			listed := big.NewInt(0x5eed)
			if revoked {
				listed = c.Leaf.SerialNumber
			}
			der, err := labCRL(env.PKI, listed)
			if err != nil {
				return tls.Certificate{}, err
			}
			crl.Store(&der)
			return c, nil
		}),
		Target: func(_ *Env, t *scanner.Target) { t.OnlineRevocation = true },
	}
}

// labCRL is a CRL of the lab intermediate, current for a week around the
// lab's clock, listing serial.
func labCRL(p *PKI, serial *big.Int) ([]byte, error) {
	tpl := &x509.RevocationList{
		Number:     big.NewInt(1),
		ThisUpdate: p.Now.Add(-day),
		NextUpdate: p.Now.Add(7 * day),
		RevokedCertificateEntries: []x509.RevocationListEntry{{
			SerialNumber:   serial,
			RevocationTime: p.Now.Add(-2 * day),
			ReasonCode:     1, // keyCompromise
		}},
	}
	der, err := x509.CreateRevocationList(rand.Reader, tpl, p.Inter.Cert, p.Inter.Key)
	if err != nil {
		return nil, fmt.Errorf("make CRL: %w", err)
	}
	return der, nil
}
