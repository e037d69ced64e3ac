package handshake

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// OnlineOCSP is what the leaf's OCSP responder said when asked.
type OnlineOCSP struct {
	// URL is the responder asked (the leaf's first OCSP URL).
	URL string
	// Response is the DER response; nil when the query failed.
	Response []byte
	// Err says why there is no response.
	Err string
	// Parsed is what Response says, verified against the leaf's issuer;
	// nil when there is no response.
	Parsed *certinfo.OCSP
}

// maxOCSPResponse bounds what is read from a responder: real responses
// are a few kilobytes, and a hostile one must not fill memory.
const maxOCSPResponse = 1 << 20

// Revocation does the leaf's revocation work once per target, for every
// check and writer that reads it: it finds the leaf's issuer (a signature
// check, so only when there is a response to verify or a responder to
// ask), asks the leaf's OCSP responder and fetches its CRLs (through the
// scan's cache) when online allows it (through d, within timeout), and
// parses the stapled and online responses. It is the only probe that
// talks to hosts other than the target, so it is off unless asked for.
func Revocation(ctx context.Context, d *netx.Sockets, crls *CRLCache, h *Handshake, online bool, timeout time.Duration) {
	if h == nil {
		return
	}
	issuer := sync.OnceValue(h.leafIssuer)
	if online {
		queryOCSP(ctx, d, h, issuer, timeout)
		checkCRLs(ctx, d, crls, h, issuer, timeout)
	}
	h.readOCSP(issuer)
}

// leafIssuer is the certificate among the served and verified ones whose
// key signed the leaf, or nil.
func (h *Handshake) leafIssuer() *x509.Certificate {
	leaf := h.Leaf()
	if leaf == nil {
		return nil
	}
	return certinfo.IssuerOf(leaf, slices.Concat(h.Chain[1:], h.Trust.Verified))
}

// ReadOCSP parses the stapled and online OCSP responses into
// StapledOCSP and OnlineOCSP.Parsed. The scanner does it once per target;
// tests of the OCSP checks call it on handshakes they build.
func (h *Handshake) ReadOCSP() { h.readOCSP(h.leafIssuer) }

func (h *Handshake) readOCSP(issuer func() *x509.Certificate) {
	if len(h.OCSPStaple) > 0 {
		o := certinfo.ParseOCSP(h.OCSPStaple, h.Leaf(), issuer())
		h.StapledOCSP = &o
	}
	if o := h.OnlineOCSP; o != nil && o.Response != nil {
		parsed := certinfo.ParseOCSP(o.Response, h.Leaf(), issuer())
		o.Parsed = &parsed
	}
}

// queryOCSP asks the leaf's OCSP responder about it. The connection goes
// through d like every other socket, so it counts against the concurrency
// limit and ends with the target's deadline.
func queryOCSP(ctx context.Context, d *netx.Sockets, h *Handshake, issuerOf func() *x509.Certificate, timeout time.Duration) {
	leaf := h.Leaf()
	if leaf == nil || len(leaf.OCSPServer) == 0 {
		return
	}
	o := &OnlineOCSP{URL: leaf.OCSPServer[0]}
	h.OnlineOCSP = o
	issuer := issuerOf()
	if issuer == nil {
		o.Err = "the leaf's issuer is neither served nor trusted, so no OCSP request can name it"
		return
	}
	der, err := fetchOCSP(ctx, d, o.URL, leaf, issuer, timeout)
	if err != nil {
		o.Err = err.Error()
		return
	}
	o.Response = der
}

func fetchOCSP(ctx context.Context, d *netx.Sockets, url string, leaf, issuer *x509.Certificate, timeout time.Duration) ([]byte, error) {
	req, err := ocsp.CreateRequest(leaf, issuer, &ocsp.RequestOptions{Hash: crypto.SHA1})
	if err != nil {
		return nil, fmt.Errorf("build OCSP request: %w", err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("OCSP URL %q: %w", url, err)
	}
	hreq.Header.Set("Content-Type", "application/ocsp-request")
	hreq.Header.Set("Accept", "application/ocsp-response")
	// RFC 6960 responders speak plain HTTP (the answer is signed).
	return fetchSigned(ctx, d, hreq, url, signedFetch{url: "OCSP URL", peer: "OCSP responder", ask: "ask OCSP responder", thing: "OCSP response", limit: maxOCSPResponse, size: "1 MiB"}, timeout)
}
