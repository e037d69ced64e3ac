package checks

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"
)

// TestStapleHasSCTs: an SCT list in the stapled OCSP response's single
// extensions counts; a staple without one, or one that does not parse,
// does not.
func TestStapleHasSCTs(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ct test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	staple := func(exts []pkix.Extension) []byte {
		b, err := ocsp.CreateResponse(ca, ca, ocsp.Response{Status: ocsp.Good, SerialNumber: big.NewInt(2),
			ThisUpdate: now, NextUpdate: now.Add(time.Hour), ExtraExtensions: exts}, key)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !stapleHasSCTs(staple([]pkix.Extension{{Id: oidOCSPSCTs, Value: []byte{4, 2, 0, 0}}})) {
		t.Error("SCT list in the staple not seen")
	}
	if stapleHasSCTs(staple(nil)) {
		t.Error("staple without SCTs counted as having them")
	}
	if stapleHasSCTs([]byte("not ocsp")) || stapleHasSCTs(nil) {
		t.Error("unparsable or absent staple counted as having SCTs")
	}
}
