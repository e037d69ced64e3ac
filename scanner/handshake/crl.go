package handshake

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// CRLCheck is what one of the leaf's CRL distribution points says about
// it.
type CRLCheck struct {
	URL string `json:"url"`
	// Error says why the CRL could not be fetched, parsed or verified.
	Error string `json:"error,omitempty"`
	// SignatureVerified: the CRL is signed by the leaf's issuer.
	SignatureVerified bool      `json:"signature_verified"`
	ThisUpdate        time.Time `json:"this_update,omitzero"`
	NextUpdate        time.Time `json:"next_update,omitzero"`
	// Revoked: the CRL lists the leaf's serial number.
	Revoked          bool      `json:"revoked"`
	RevokedAt        time.Time `json:"revoked_at,omitzero"`
	RevocationReason string    `json:"revocation_reason,omitempty"`
}

// Expired reports whether the CRL's nextUpdate has passed at now: it no
// longer proves anything.
func (c *CRLCheck) Expired(now time.Time) bool {
	return !c.NextUpdate.IsZero() && now.After(c.NextUpdate)
}

// maxCRL bounds what is read from a distribution point: large public CAs'
// CRLs are a few megabytes, and a hostile one must not fill memory.
const maxCRL = 10 << 20

// CRLCache holds the CRLs fetched during one scan by URL, so targets
// sharing a CA fetch its CRL once.
type CRLCache struct {
	mu      sync.Mutex
	entries map[string]*crlEntry
}

type crlEntry struct {
	once sync.Once
	list *x509.RevocationList
	err  error
}

// NewCRLCache returns an empty cache.
func NewCRLCache() *CRLCache { return &CRLCache{entries: map[string]*crlEntry{}} }

func (c *CRLCache) get(ctx context.Context, d *netx.Sockets, url string, timeout time.Duration) (*x509.RevocationList, error) {
	c.mu.Lock()
	e := c.entries[url]
	if e == nil {
		e = &crlEntry{}
		c.entries[url] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		var der []byte
		if der, e.err = fetchCRL(ctx, d, url, timeout); e.err == nil {
			if e.list, e.err = x509.ParseRevocationList(der); e.err != nil {
				e.err = fmt.Errorf("parse CRL: %w", e.err)
			}
		}
	})
	return e.list, e.err
}

// checkCRLs fetches the leaf's http:// CRL distribution points and
// records what each says about it.
func checkCRLs(ctx context.Context, d *netx.Sockets, cache *CRLCache, h *Handshake, issuerOf func() *x509.Certificate, timeout time.Duration) {
	leaf := h.Leaf()
	if leaf == nil || cache == nil {
		return
	}
	for _, url := range leaf.CRLDistributionPoints {
		c := &CRLCheck{URL: url}
		h.CRLs = append(h.CRLs, c)
		issuer := issuerOf()
		if issuer == nil {
			c.Error = "the leaf's issuer is neither served nor trusted, so no CRL can be verified"
			continue
		}
		list, err := cache.get(ctx, d, url, timeout)
		if err != nil {
			c.Error = err.Error()
			continue
		}
		c.ThisUpdate, c.NextUpdate = list.ThisUpdate, list.NextUpdate
		if err := list.CheckSignatureFrom(issuer); err != nil {
			c.Error = fmt.Sprintf("CRL not signed by the leaf's issuer: %v", err)
			continue
		}
		c.SignatureVerified = true
		for _, e := range list.RevokedCertificateEntries {
			if e.SerialNumber != nil && e.SerialNumber.Cmp(leaf.SerialNumber) == 0 {
				c.Revoked, c.RevokedAt = true, e.RevocationTime.UTC()
				c.RevocationReason = certinfo.RevocationReason(e.ReasonCode)
				break
			}
		}
	}
}

func fetchCRL(ctx context.Context, d *netx.Sockets, url string, timeout time.Duration) ([]byte, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("CRL URL %q: %w", url, err)
	}
	// CRLs are signed and served over plain HTTP (RFC 5280 4.2.1.13).
	return fetchSigned(ctx, d, hreq, url, signedFetch{url: "CRL URL", peer: "CRL distribution point", ask: "fetch CRL", thing: "CRL", limit: maxCRL, size: "10 MiB"}, timeout)
}
