package handshake

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"
)

// TestLearnedIntermediate: a server that sends its leaf alone, with no
// issuer URL, is an incomplete chain naming the missing intermediate once
// another server of the scan sent that intermediate (and it completes the
// chain to a trusted root); before that, and for an unrelated or
// untrusted intermediate, it stays an unknown root. A verdict cached
// before the intermediate was learned is upgraded too.
func TestLearnedIntermediate(t *testing.T) {
	year := now.Add(365 * 24 * time.Hour)
	root := mk(t, "Private Root", nil, true, false, year)
	inter := mk(t, "Private Issuing CA", root, true, false, year)
	other := mk(t, "Private Issuing CA", mk(t, "Elsewhere Root", nil, true, false, year), true, false, year) // same name, other key
	leaf := mk(t, "svc.internal.test", inter, false, false, year)
	sibling := mk(t, "api.internal.test", inter, false, false, year)
	roots := poolOf(root)

	c := NewTrustCache()
	before := c.Verify([]*x509.Certificate{leaf.cert}, roots, "ca.pem", now)
	if before.Status != TrustUnknown {
		t.Fatalf("before any server sent the intermediate: %s (%s)", before.Status, before.Detail)
	}
	c.Learn([]*x509.Certificate{other.cert, other.cert}) // not a leaf+chain: ignored
	c.Learn([]*x509.Certificate{sibling.cert, other.cert})
	if got := c.Verify([]*x509.Certificate{leaf.cert}, roots, "ca.pem", now); got.Status != TrustUnknown {
		t.Errorf("a same-named intermediate with another key completed the chain: %s (%s)", got.Status, got.Detail)
	}
	c.Learn([]*x509.Certificate{sibling.cert, inter.cert})
	got := c.Verify([]*x509.Certificate{leaf.cert}, roots, "ca.pem", now)
	if got.Status != TrustIncomplete || got.MissingIssuer != "CN=Private Issuing CA" || !strings.Contains(got.Detail, `does not send the intermediate "CN=Private Issuing CA"`) {
		t.Errorf("after a server sent the intermediate: %+v", got)
	}
	if got := c.Verify([]*x509.Certificate{leaf.cert}, x509.NewCertPool(), "empty", now); got.Status != TrustUnknown {
		t.Errorf("intermediate known but its root untrusted: %s (%s)", got.Status, got.Detail)
	}
}
