package handshake

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"sync/atomic"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// node is a test CA or leaf with its key.
type node struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// serial numbers the test certificates, so no two share issuer and serial.
var serial atomic.Int64

// issue makes a certificate named cn signed by parent (self-signed when
// nil); isCA makes a CA; tweak edits the template.
func issue(t testing.TB, cn string, parent *node, isCA bool, tweak func(*x509.Certificate)) *node {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial.Add(1)),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    now.Add(-24 * time.Hour),
		NotAfter:     now.Add(365 * 24 * time.Hour),
	}
	if isCA {
		tpl.IsCA, tpl.BasicConstraintsValid = true, true
		tpl.MaxPathLen = -1
		tpl.KeyUsage = x509.KeyUsageCertSign
	} else {
		tpl.DNSNames = []string{cn}
		tpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tpl.KeyUsage = x509.KeyUsageDigitalSignature
	}
	if tweak != nil {
		tweak(tpl)
	}
	p, signer := tpl, key
	if parent != nil {
		p, signer = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, p, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &node{c, key}
}

// mk issues a certificate for tests: a CA when ca is set, signed by parent
// (self-signed when nil), with an AIA URL when aia is set.
func mk(t testing.TB, cn string, parent *node, ca, aia bool, notAfter time.Time) *node {
	t.Helper()
	return issue(t, cn, parent, ca, func(c *x509.Certificate) {
		c.NotAfter = notAfter
		if aia {
			c.IssuingCertificateURL = []string{"http://pki.test/issuer.crt"}
		}
	})
}

func TestVerifyChainVerdicts(t *testing.T) {
	year := now.Add(365 * 24 * time.Hour)
	root := mk(t, "Root", nil, true, false, year)
	inter := mk(t, "Inter", root, true, false, year)
	leaf := mk(t, "leaf.test", inter, false, true, year)
	leafNoAIA := mk(t, "direct.test", root, false, false, year)
	expired := mk(t, "old.test", inter, false, true, now.Add(-time.Hour))
	self := mk(t, "self.test", nil, false, false, year)
	unrelated := mk(t, "Other", nil, true, false, year)
	selfSHA1 := mkSHA1SelfSigned(t, "self-sha1.test", year)

	roots := x509.NewCertPool()
	roots.AddCert(root.cert)
	empty := x509.NewCertPool()

	cases := []struct {
		name   string
		served []*node
		roots  *x509.CertPool
		want   TrustStatus
	}{
		{"complete chain", []*node{leaf, inter}, roots, TrustOK},
		{"out of order is still trusted", []*node{leaf, unrelated, inter}, roots, TrustOK},
		{"expired leaf judged inside its validity", []*node{expired, inter}, roots, TrustOK},
		{"leaf only with AIA", []*node{leaf}, roots, TrustIncomplete},
		{"leaf with the wrong intermediate", []*node{leaf, unrelated}, roots, TrustIncomplete},
		{"intermediate to an unknown root", []*node{leaf, inter}, empty, TrustUnknown},
		{"server sends an untrusted root", []*node{leaf, inter, root}, empty, TrustUnknown},
		{"leaf straight from an unknown root, no AIA", []*node{leafNoAIA}, empty, TrustUnknown},
		{"self-signed leaf", []*node{self}, roots, TrustSelfSigned},
		// crypto/x509 cannot check a SHA-1 self-signature, so only the
		// shape says the leaf signs itself; the hash is signature-weak's.
		{"SHA-1 self-signed leaf", []*node{selfSHA1}, roots, TrustSelfSigned},
		{"self-signed leaf trusted as its own ca", []*node{self}, poolOf(self), TrustOK},
	}
	for _, c := range cases {
		var served []*x509.Certificate
		for _, n := range c.served {
			served = append(served, n.cert)
		}
		got := verifyChain(served, c.roots, "test", now)
		if got.Status != c.want {
			t.Errorf("%s: %s (%s), want %s", c.name, got.Status, got.Detail, c.want)
		}
	}
	if got := verifyChain(nil, roots, "", now); got.Status != TrustUnchecked || got.Roots != "system" {
		t.Errorf("no chain: %+v", got)
	}
}

func poolOf(n *node) *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(n.cert)
	return p
}

// mkSHA1SelfSigned issues a self-signed leaf signed with ECDSA-SHA1.
func mkSHA1SelfSigned(t testing.TB, cn string, notAfter time.Time) *node {
	t.Helper()
	return issue(t, cn, nil, false, func(c *x509.Certificate) {
		c.NotAfter = notAfter
		c.SignatureAlgorithm = x509.ECDSAWithSHA1
	})
}
