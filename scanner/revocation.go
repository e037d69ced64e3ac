package scanner

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/crypto/ocsp"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
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

// revocation does the leaf's revocation work once per target, for every
// check and writer that reads it: it finds the leaf's issuer (a signature
// check, so only when there is a response to verify or a responder to
// ask), asks the leaf's OCSP responder when the target allows it, and
// parses the stapled and online responses.
func (s *Scanner) revocation(ctx context.Context, r *Result) {
	h := r.Handshake
	if h == nil {
		return
	}
	issuer := sync.OnceValue(h.leafIssuer)
	s.queryOCSP(ctx, r, issuer)
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

// queryOCSP asks the leaf's OCSP responder about it, when the target
// allows traffic beyond itself (Target.OnlineRevocation). It is the only
// probe that talks to another host, so it is off unless asked for. The
// connection goes through s.dial like every other socket, so it counts
// against the concurrency limit and ends with the target's deadline.
func (s *Scanner) queryOCSP(ctx context.Context, r *Result, issuerOf func() *x509.Certificate) {
	h := r.Handshake
	if !r.Target.OnlineRevocation {
		return
	}
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
	der, err := s.fetchOCSP(ctx, r.Target, o.URL, leaf, issuer)
	if err != nil {
		o.Err = err.Error()
		return
	}
	o.Response = der
}

func (s *Scanner) fetchOCSP(ctx context.Context, t *Target, url string, leaf, issuer *x509.Certificate) ([]byte, error) {
	req, err := ocsp.CreateRequest(leaf, issuer, &ocsp.RequestOptions{Hash: crypto.SHA1})
	if err != nil {
		return nil, fmt.Errorf("build OCSP request: %w", err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("OCSP URL %q: %w", url, err)
	}
	if hreq.URL.Scheme != "http" {
		// RFC 6960 responders speak plain HTTP (the answer is signed);
		// anything else in the certificate is not followed.
		return nil, fmt.Errorf("OCSP URL %q is not http://", url)
	}
	hreq.Header.Set("Content-Type", "application/ocsp-request")
	hreq.Header.Set("Accept", "application/ocsp-response")
	tr := &http.Transport{
		Proxy:             nil,
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			return s.dialName(ctx, t, addr)
		},
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport: tr,
		Timeout:   t.connectTimeout(),
		// Talk to the responder the certificate names and nothing else:
		// a redirect would let it send the scanner anywhere.
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return errors.New("OCSP responder redirected; not followed")
		},
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("ask OCSP responder: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("OCSP responder %s answered HTTP %d", url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxOCSPResponse+1))
	if err != nil {
		return nil, fmt.Errorf("read OCSP response: %w", err)
	}
	if len(body) > maxOCSPResponse {
		return nil, errors.New("OCSP response larger than 1 MiB")
	}
	return body, nil
}

// dialName dials host:port, resolving the host with the scanner's
// resolver, through s.dial.
func (s *Scanner) dialName(ctx context.Context, t *Target, hostport string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, err
	}
	ips, serr := s.lookupHost(ctx, host)
	if serr != nil {
		return nil, serr
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return nil, fmt.Errorf("bad port %q", port)
	}
	c, _, serr := s.dial(ctx, t, netip.AddrPortFrom(ips[0], uint16(p)).String())
	if serr != nil {
		return nil, serr
	}
	return c, nil
}
