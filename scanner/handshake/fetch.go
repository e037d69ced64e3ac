package handshake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// signedFetch names, for its messages, one kind of signed document a
// certificate points at (an OCSP response, a CRL), and bounds its size.
type signedFetch struct {
	url   string // "OCSP URL", "CRL URL": how the certificate names it
	peer  string // "OCSP responder", "CRL distribution point"
	ask   string // what the request does, for a failed request
	thing string // "OCSP response", "CRL"
	limit int64
	size  string // limit in words, "1 MiB"
}

// fetchSigned makes req to url, which a certificate named, through the scan's
// sockets: plain http:// only (the document is signed, so TLS adds
// nothing and other schemes are not followed), no proxy, no redirect (the
// peer could otherwise send the scanner anywhere), the connection timeout
// for the whole exchange, and at most f.limit bytes read.
func fetchSigned(ctx context.Context, d *netx.Sockets, req *http.Request, url string, f signedFetch, timeout time.Duration) ([]byte, error) {
	if req.URL.Scheme != "http" {
		return nil, fmt.Errorf("%s %q is not http://", f.url, url)
	}
	tr := &http.Transport{
		Proxy:             nil,
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			return d.DialName(ctx, addr, timeout)
		},
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return errors.New(f.peer + " redirected; not followed")
		},
	}
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.ask, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s answered HTTP %d", f.peer, url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.thing, err)
	}
	if int64(len(body)) > f.limit {
		return nil, fmt.Errorf("%s larger than %s", f.thing, f.size)
	}
	return body, nil
}
