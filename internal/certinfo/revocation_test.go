package certinfo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"
)

func selfSigned(t *testing.T, exts ...pkix.Extension) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "x"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, ExtraExtensions: exts}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, k
}

func sctExtension(t *testing.T, list []byte) pkix.Extension {
	v, err := asn1.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	return pkix.Extension{Id: oidSCTList, Value: v}
}

func TestEmbeddedSCTs(t *testing.T) {
	// Two SCTs of 3 and 1 bytes, in a uint16-length-prefixed list.
	two := []byte{0, 8, 0, 3, 'a', 'b', 'c', 0, 1, 'd'}
	cases := []struct {
		name string
		exts []pkix.Extension
		want int
	}{
		{"none", nil, 0},
		{"two", []pkix.Extension{sctExtension(t, two)}, 2},
		{"truncated", []pkix.Extension{sctExtension(t, two[:6])}, 0},
		{"not an octet string", []pkix.Extension{{Id: oidSCTList, Value: []byte{5, 0}}}, 0},
	}
	for _, c := range cases {
		cert, _ := selfSigned(t, c.exts...)
		if got := EmbeddedSCTs(cert); got != c.want {
			t.Errorf("%s: %d SCTs, want %d", c.name, got, c.want)
		}
	}
}

func TestParseOCSP(t *testing.T) {
	ca, key := selfSigned(t)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(42)}
	now := time.Now().UTC().Truncate(time.Second)
	der, err := ocsp.CreateResponse(ca, ca, ocsp.Response{Status: ocsp.Revoked, SerialNumber: leaf.SerialNumber,
		ThisUpdate: now, NextUpdate: now.Add(time.Hour), RevokedAt: now.Add(-time.Hour), RevocationReason: ocsp.KeyCompromise}, key)
	if err != nil {
		t.Fatal(err)
	}
	o := ParseOCSP(der, leaf, ca)
	if o.Status != "revoked" || !o.SignatureVerified || o.RevocationReason != "keyCompromise" || o.Error != "" || !o.NextUpdate.Equal(now.Add(time.Hour)) {
		t.Errorf("verified: %+v", o)
	}
	if o.Expired(now) || !o.Expired(now.Add(2*time.Hour)) {
		t.Error("Expired is wrong")
	}
	other, _ := selfSigned(t)
	if o := ParseOCSP(der, leaf, other); o.Status != "revoked" || o.SignatureVerified || o.Error == "" {
		t.Errorf("wrong issuer: %+v", o)
	}
	if o := ParseOCSP(der, &x509.Certificate{SerialNumber: big.NewInt(43)}, nil); o.Error == "" {
		t.Errorf("another certificate's response, unverified: %+v", o)
	}
	if o := ParseOCSP(ocsp.TryLaterErrorResponse, leaf, ca); o.Status != "" || o.Error != `the responder answered "try later" instead of a status` {
		t.Errorf("tryLater: %+v", o)
	}
	if o := ParseOCSP([]byte("junk"), leaf, ca); o.Status != "" || o.Error == "" {
		t.Errorf("junk: %+v", o)
	}
}

// TestDelegatedResponderNeedsOCSPSigning checks that a response signed by
// another certificate of the same CA only counts as verified when the CA
// allowed that certificate to sign OCSP responses (RFC 6960 4.2.2.2).
func TestDelegatedResponderNeedsOCSPSigning(t *testing.T) {
	ca, caKey := selfSigned(t)
	issue := func(serial int64, eku []x509.ExtKeyUsage) (*x509.Certificate, *ecdsa.PrivateKey) {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "leaf"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: eku}
		der, err := x509.CreateCertificate(rand.Reader, tpl, ca, &k.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		return c, k
	}
	leaf, _ := issue(100, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth})
	for _, c := range []struct {
		name string
		eku  []x509.ExtKeyUsage
		want bool
	}{
		{"authorised responder", []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}, true},
		{"ordinary sibling certificate", []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, false},
	} {
		responder, rkey := issue(200, c.eku)
		der, err := ocsp.CreateResponse(ca, responder, ocsp.Response{
			Status: ocsp.Revoked, SerialNumber: leaf.SerialNumber, RevokedAt: time.Now().Add(-time.Hour),
			ThisUpdate: time.Now().Add(-time.Hour), NextUpdate: time.Now().Add(time.Hour), Certificate: responder,
		}, rkey)
		if err != nil {
			t.Fatal(err)
		}
		if got := ParseOCSP(der, leaf, ca); got.SignatureVerified != c.want || got.Status != "revoked" {
			t.Errorf("%s: verified=%v status=%q (%s), want verified=%v", c.name, got.SignatureVerified, got.Status, got.Error, c.want)
		}
	}
}
