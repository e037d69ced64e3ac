package handshake

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"
)

// An intermediate that expired before the leaf's validity began: no time
// makes the chain valid, and the verdict must quote the real current time
// and name the certificate that failed, not a time the verifier chose.
func TestExpiredIntermediateDetailQuotesNow(t *testing.T) {
	root := issue(t, "Test Root", nil, true, nil)
	inter := issue(t, "Test Expired Intermediate", root, true, func(c *x509.Certificate) {
		c.NotBefore, c.NotAfter = now.AddDate(-3, 0, 0), now.AddDate(-1, 0, 0)
	})
	leaf := issue(t, "api.example.test", inter, false, nil)
	roots := x509.NewCertPool()
	roots.AddCert(root.cert)
	tr := verifyChain([]*x509.Certificate{leaf.cert, inter.cert}, roots, "", now)
	if tr.Status != TrustInvalid {
		t.Fatalf("status %s, want invalid: %s", tr.Status, tr.Detail)
	}
	for _, want := range []string{"Test Expired Intermediate", "expired on " + inter.cert.NotAfter.UTC().Format(time.DateOnly), "the current time is " + now.UTC().Format(time.RFC3339)} {
		if !strings.Contains(tr.Detail, want) {
			t.Errorf("detail %q lacks %q", tr.Detail, want)
		}
	}
}

// The leaf expired and so did the trusted root, earlier: verification
// retried inside the leaf's window still fails, and crypto/x509's message
// would quote that retry time as "current time".
func TestExpiredRootDetailQuotesNowNotRetryTime(t *testing.T) {
	root := issue(t, "Test Old Root", nil, true, func(c *x509.Certificate) {
		c.NotBefore, c.NotAfter = now.AddDate(-10, 0, 0), now.AddDate(0, -6, 0)
	})
	inter := issue(t, "Test Intermediate", root, true, func(c *x509.Certificate) {
		c.NotBefore, c.NotAfter = now.AddDate(-2, 0, 0), now.AddDate(1, 0, 0)
	})
	leaf := issue(t, "api.example.test", inter, false, func(c *x509.Certificate) {
		c.NotBefore, c.NotAfter = now.AddDate(-1, 0, 0), now.AddDate(0, -1, 0)
	})
	roots := x509.NewCertPool()
	roots.AddCert(root.cert)
	tr := verifyChain([]*x509.Certificate{leaf.cert, inter.cert}, roots, "", now)
	retry := leaf.cert.NotAfter.UTC().Format(time.RFC3339)
	if tr.Status != TrustInvalid || strings.Contains(tr.Detail, retry) || !strings.Contains(tr.Detail, "Test Old Root") ||
		!strings.Contains(tr.Detail, "the current time is "+now.UTC().Format(time.RFC3339)) {
		t.Errorf("verdict %s %q: want invalid, naming the root and quoting now, not %s", tr.Status, tr.Detail, retry)
	}
}
