package handshake

import (
	"crypto/x509"
	"testing"
	"time"
)

// TestTrustCacheKeys checks that a cached verdict is reused only for the
// same chain, the same roots and the same minute of the scan clock.
func TestTrustCacheKeys(t *testing.T) {
	year := now.Add(365 * 24 * time.Hour)
	root := mk(t, "Root", nil, true, false, year)
	inter := mk(t, "Inter", root, true, false, year)
	leaf := mk(t, "leaf.test", inter, false, true, year)
	roots := poolOf(root)
	empty := x509.NewCertPool()
	chain := []*x509.Certificate{leaf.cert, inter.cert}

	c := NewTrustCache()
	if got := c.Verify(chain, roots, "lab", now); got.Status != TrustOK {
		t.Fatalf("first verdict %s", got.Status)
	}
	if got := c.Verify(chain, empty, "lab", now); got.Status != TrustUnknown {
		t.Errorf("other roots reused the verdict: %s", got.Status)
	}
	if got := c.Verify(chain[:1], roots, "lab", now); got.Status != TrustIncomplete {
		t.Errorf("shorter chain reused the verdict: %s", got.Status)
	}
	if got := c.Verify(chain, roots, "other name", now); got.Roots != "other name" {
		t.Errorf("roots name %q from the cache", got.Roots)
	}
	// Past the leaf's expiry the verdict is computed again (trusted inside
	// the validity window, verified at that time, not at the scan clock).
	late := year.Add(time.Hour)
	if got := c.Verify(chain, roots, "lab", late); !got.At.Equal(leaf.cert.NotAfter) {
		t.Errorf("verified at %v, want the leaf's expiry %v: a verdict from another time was reused", got.At, leaf.cert.NotAfter)
	}
}

// TestTrustCacheBounded checks that the cache never holds more than two
// generations.
func TestTrustCacheBounded(t *testing.T) {
	year := now.Add(365 * 24 * time.Hour)
	root := mk(t, "Root", nil, true, false, year)
	c := NewTrustCache()
	for i := range 3*trustCacheGen + 5 {
		// One self-signed certificate reused, a different minute each time:
		// a distinct key without minting hundreds of certificates.
		c.Verify([]*x509.Certificate{root.cert}, nil, "", now.Add(time.Duration(i)*time.Minute))
	}
	if n := c.verdicts.len(); n > 2*trustCacheGen {
		t.Errorf("cache holds %d verdicts, want at most %d", n, 2*trustCacheGen)
	}
}

// BenchmarkVerifyChain measures verifying a served leaf+intermediate
// chain: from scratch, a new leaf under an intermediate already seen (a
// fleet under one CA), and a chain seen before (a certificate shared by
// many targets).
func BenchmarkVerifyChain(b *testing.B) {
	year := now.Add(365 * 24 * time.Hour)
	root := mk(b, "Root", nil, true, false, year)
	inter := mk(b, "Inter", root, true, false, year)
	leaf := mk(b, "leaf.test", inter, false, true, year)
	roots := poolOf(root)
	chain := []*x509.Certificate{leaf.cert, inter.cert}
	b.Run("uncached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			verifyChain(chain, roots, "lab", now)
		}
	})
	b.Run("new-leaf-known-intermediate", func(b *testing.B) {
		// Distinct leaves, more than the verdicts the cache keeps: only
		// the intermediate's path comes from the cache.
		leaves := make([]*x509.Certificate, 4*trustCacheGen)
		for i := range leaves {
			leaves[i] = mk(b, "leaf.test", inter, false, true, year).cert
		}
		c := NewTrustCache()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			c.Verify([]*x509.Certificate{leaves[i%len(leaves)], inter.cert}, roots, "lab", now)
			i++
		}
	})
	b.Run("cached-repeat", func(b *testing.B) {
		c := NewTrustCache()
		b.ReportAllocs()
		for b.Loop() {
			c.Verify(chain, roots, "lab", now)
		}
	})
}
