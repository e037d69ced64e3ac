package handshake

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newTestCA(t *testing.T, name string) testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return testCA{c, key}
}

func (ca testCA) leaf(t *testing.T, serial int64, crlURLs ...string) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "leaf"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), CRLDistributionPoints: crlURLs}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (ca testCA) crl(t *testing.T, serials ...int64) []byte {
	t.Helper()
	tpl := &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: time.Now().Add(-time.Hour), NextUpdate: time.Now().Add(24 * time.Hour)}
	for _, s := range serials {
		tpl.RevokedCertificateEntries = append(tpl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: big.NewInt(s), RevocationTime: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), ReasonCode: 1})
	}
	der, err := x509.CreateRevocationList(rand.Reader, tpl, ca.cert, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// serveBytes serves body on loopback and counts the requests.
func serveBytes(t *testing.T, body []byte) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/ca.crl", &n
}

func TestCheckCRLs(t *testing.T) {
	ca, stranger := newTestCA(t, "ca"), newTestCA(t, "stranger")
	listing, _ := serveBytes(t, ca.crl(t, 7, 42))
	notListing, _ := serveBytes(t, ca.crl(t, 7))
	forged, _ := serveBytes(t, stranger.crl(t, 42))
	huge, _ := serveBytes(t, make([]byte, maxCRL+1))
	cases := []struct {
		name    string
		url     string
		revoked bool
		err     string
	}{
		{"listed", listing, true, ""},
		{"not listed", notListing, false, ""},
		{"signed by another CA", forged, false, "not signed by the leaf's issuer"},
		{"larger than the cap", huge, false, "larger than 10 MiB"},
		{"not http", "ldap://127.0.0.1/cn=ca", false, "is not http://"},
	}
	d := netx.NewSockets(4, nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			leaf := ca.leaf(t, 42, c.url)
			h := &Handshake{Chain: []*x509.Certificate{leaf, ca.cert}}
			checkCRLs(context.Background(), d, NewCRLCache(), h, func() *x509.Certificate { return ca.cert }, 5*time.Second)
			if len(h.CRLs) != 1 {
				t.Fatalf("CRLs = %+v, want one", h.CRLs)
			}
			got := h.CRLs[0]
			if got.Revoked != c.revoked || !strings.Contains(got.Error, c.err) || (c.err == "") != (got.Error == "") {
				t.Errorf("got %+v, want revoked=%v error containing %q", got, c.revoked, c.err)
			}
			if c.revoked && (got.RevocationReason != "keyCompromise" || !got.SignatureVerified ||
				!got.RevokedAt.Equal(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))) {
				t.Errorf("revocation details %+v", got)
			}
		})
	}
}

// TestCRLCacheFetchesOnce: targets sharing a CA's CRL fetch it once per
// scan.
func TestCRLCacheFetchesOnce(t *testing.T) {
	ca := newTestCA(t, "ca")
	url, hits := serveBytes(t, ca.crl(t, 42))
	cache, d := NewCRLCache(), netx.NewSockets(4, nil)
	for serial := int64(40); serial < 44; serial++ {
		h := &Handshake{Chain: []*x509.Certificate{ca.leaf(t, serial, url), ca.cert}}
		checkCRLs(context.Background(), d, cache, h, func() *x509.Certificate { return ca.cert }, 5*time.Second)
		if got := h.CRLs[0].Revoked; got != (serial == 42) {
			t.Errorf("serial %d: revoked=%v", serial, got)
		}
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("CRL fetched %d times, want 1", n)
	}
}
