package certinfo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"
)

// issue makes a certificate named cn, issued by the certificate named
// issuer (its own name for a self-issued one) under key, with the given
// key identifiers. Signatures are real but Path never checks them.
func issue(t testing.TB, cn, issuer string, key *ecdsa.PrivateKey, ski, aki []byte) *x509.Certificate {
	t.Helper()
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<31, 0),
		SubjectKeyId: ski, AuthorityKeyId: aki, IsCA: true, BasicConstraintsValid: true,
	}
	parent := &x509.Certificate{Subject: pkix.Name{CommonName: issuer}, SubjectKeyId: aki}
	if issuer == cn {
		parent = tpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, parent, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPath(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	root := issue(t, "root", "root", key, []byte{1}, []byte{1})
	inter := issue(t, "inter", "root", key, []byte{2}, []byte{1})
	leaf := issue(t, "leaf", "inter", key, []byte{3}, []byte{2})
	otherKeyInter := issue(t, "inter", "root", key, []byte{9}, []byte{1}) // same name, other key id
	stranger := issue(t, "stranger", "stranger", key, []byte{7}, []byte{7})
	// a and b name each other as issuer: a loop a hostile server can send.
	a := issue(t, "a", "b", key, []byte{5}, []byte{6})
	b := issue(t, "b", "a", key, []byte{6}, []byte{5})

	cases := []struct {
		name   string
		served []*x509.Certificate
		want   []*x509.Certificate
	}{
		{"in order", []*x509.Certificate{leaf, inter, root}, []*x509.Certificate{leaf, inter, root}},
		{"any order, strangers left out", []*x509.Certificate{leaf, stranger, root, inter}, []*x509.Certificate{leaf, inter, root}},
		{"same name, other key identifier", []*x509.Certificate{leaf, otherKeyInter}, []*x509.Certificate{leaf}},
		{"self-issued leaf", []*x509.Certificate{stranger, root}, []*x509.Certificate{stranger}},
		{"issuer loop ends", []*x509.Certificate{a, b, a}, []*x509.Certificate{a, b, a}},
		{"empty", nil, nil},
	}
	for _, c := range cases {
		got := Path(c.served)
		if len(got) != len(c.want) {
			t.Errorf("%s: path of %d, want %d", c.name, len(got), len(c.want))
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: path[%d] = %s, want %s", c.name, i, got[i].Subject, c.want[i].Subject)
			}
		}
	}
	if !SelfIssued(root) || SelfIssued(inter) || !SelfIssued(stranger) {
		t.Error("SelfIssued: want root and stranger, not inter")
	}
}

func TestWeakHash(t *testing.T) {
	for alg, want := range map[x509.SignatureAlgorithm]string{
		x509.MD2WithRSA: "MD2", x509.MD5WithRSA: "MD5", x509.SHA1WithRSA: "SHA-1", x509.ECDSAWithSHA1: "SHA-1",
		x509.DSAWithSHA1: "SHA-1", x509.SHA256WithRSA: "", x509.ECDSAWithSHA256: "", x509.PureEd25519: "",
	} {
		if got := WeakHash(alg); got != want {
			t.Errorf("WeakHash(%v) = %q, want %q", alg, got, want)
		}
	}
}
