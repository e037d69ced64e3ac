package certinfo

import (
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"testing"
	"time"
)

// seedCert is a deterministic self-signed certificate for fuzz seeds.
func seedCert(f *testing.F) *x509.Certificate {
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "seed.example"},
		DNSNames: []string{"seed.example"}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(nil, tpl, tpl, key.Public(), key)
	if err != nil {
		f.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		f.Fatal(err)
	}
	return c
}

// FuzzSummarize summarises whatever DER crypto/x509 accepts, as reports
// do for every served certificate: nothing may panic, and the summary must
// marshal (it is written into JSON reports).
func FuzzSummarize(f *testing.F) {
	c := seedCert(f)
	f.Add(c.Raw)
	f.Add(c.Raw[:len(c.Raw)-1])
	f.Add([]byte{0x30, 0x00})
	f.Fuzz(func(t *testing.T, der []byte) {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return
		}
		s := Summarize(c)
		if _, err := json.Marshal(s); err != nil {
			t.Fatalf("summary does not marshal: %v", err)
		}
		if len(s.SHA256) != 64 {
			t.Errorf("sha256 %q", s.SHA256)
		}
		KeyInfo(c)
		EmbeddedSCTs(c)
		IssuerOf(c, []*x509.Certificate{c})
	})
}

// FuzzParseOCSP reads arbitrary bytes as a stapled OCSP response about a
// real certificate: a server chooses what it staples.
func FuzzParseOCSP(f *testing.F) {
	c := seedCert(f)
	f.Add([]byte{})
	f.Add([]byte{0x30, 0x03, 0x0a, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, der []byte) {
		o := ParseOCSP(der, c, c)
		o.Expired(time.Now())
		if _, err := json.Marshal(o); err != nil {
			t.Fatalf("OCSP summary does not marshal: %v", err)
		}
	})
}

// FuzzCountSCTs counts the entries of arbitrary SCT lists.
func FuzzCountSCTs(f *testing.F) {
	f.Add([]byte{0x00, 0x04, 0x00, 0x02, 0xaa, 0xbb})
	f.Fuzz(func(t *testing.T, b []byte) {
		if n := countSCTs(b); n < 0 || n > len(b)/2 {
			t.Errorf("%d SCTs in %d bytes", n, len(b))
		}
	})
}
