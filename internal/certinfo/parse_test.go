package certinfo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"slices"
	"testing"
)

// TestParseCertificates: PEM and concatenated DER both read; a broken PEM
// certificate is an error that still returns the others; data with no
// certificate is ErrNoCertificates.
func TestParseCertificates(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	a, b := issue(t, "a", "a", key, nil, nil), issue(t, "b", "b", key, nil, nil)
	block := func(der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}) }
	cns := func(data []byte) ([]string, error) {
		certs, err := ParseCertificates(data)
		var out []string
		for _, c := range certs {
			out = append(out, c.Subject.CommonName)
		}
		return out, err
	}
	for _, c := range []struct {
		name    string
		data    []byte
		want    []string
		wantErr bool
	}{
		{"pem", slices.Concat(block(a.Raw), []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), block(b.Raw)), []string{"a", "b"}, false},
		{"der", slices.Concat(a.Raw, b.Raw), []string{"a", "b"}, false},
		{"broken pem", slices.Concat(block(a.Raw), block([]byte("junk")), block(b.Raw)), []string{"a", "b"}, true},
	} {
		got, err := cns(c.data)
		if !slices.Equal(got, c.want) || (err != nil) != c.wantErr {
			t.Errorf("%s: %v, %v; want %v (error %v)", c.name, got, err, c.want, c.wantErr)
		}
	}
	if _, err := ParseCertificates([]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")); !errors.Is(err, ErrNoCertificates) {
		t.Errorf("no certificates: %v", err)
	}
}
