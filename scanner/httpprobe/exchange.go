package httpprobe

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// The HTTP probes speak HTTP/1.1 themselves over connections from a netx.Dialer,
// with net/http's own request writer and response parser, rather than
// through an http.Transport. That keeps one request to one socket, in the
// scanner's socket budget and under its deadlines, with no pool and no
// background goroutines; lets the same code run over zcrypto for
// legacy-only servers and over plain TCP to a TLS port; and lets every
// byte read be counted.

// Limits on what one HTTP exchange reads.
const (
	// MaxHeaderBytes bounds a response's status line and headers, as
	// load balancers bound theirs (8-64 KiB).
	MaxHeaderBytes = 64 << 10
	// BodyPrefixBytes is how much of a body is kept as evidence. The rest
	// is never read: the connection is closed instead.
	BodyPrefixBytes = 256
	// maxInterim bounds the 1xx responses (103 Early Hints) skipped before
	// the final one.
	maxInterim = 5
	// firstBytes is how much of an answer that is not HTTP is kept (and
	// quoted in the error).
	firstBytes = 64
)

// An Exchange is one HTTP request and what came back.
type Exchange struct {
	// URL and Method are what was requested.
	URL    string
	Method string
	// StatusCode is 0 when no response was read (Err says why).
	StatusCode int
	// StatusLine is as the server sent it ("HTTP/1.1 200 OK"), raw: report
	// writers escape it.
	StatusLine string
	Header     http.Header
	// BodyPrefix is the first BodyPrefixBytes of the body (after chunked
	// decoding), raw; BodyTruncated says there was more.
	BodyPrefix    []byte
	BodyTruncated bool
	// Redirect is Location resolved against URL, for a 3xx whose Location
	// parses.
	Redirect string
	// Err is why no response was read; ErrKind classifies it.
	Err     string
	ErrKind netx.ErrorKind
	// HeadersWithheld, when set, says why the target's configured request
	// headers were not sent with this request over TLS (the certificate
	// did not verify, ...): the server answered a request without them.
	HeadersWithheld string
	// Reused is true when this is the answer to an earlier identical
	// request of the same target (no new connection was made).
	Reused   bool
	Duration time.Duration
}

// Answered reports whether an HTTP response was read.
func (e *Exchange) Answered() bool { return e != nil && e.StatusCode != 0 }

// IsRedirect reports whether the response redirects somewhere usable.
func (e *Exchange) IsRedirect() bool {
	return e.Answered() && e.StatusCode >= 300 && e.StatusCode < 400 && e.Redirect != ""
}

// exchange sends req over conn and reads the answer into ex. The conn's
// deadline (set by the Dialer) bounds the whole exchange.
func exchange(ctx context.Context, conn net.Conn, req *http.Request, ex *Exchange) {
	bw := bufio.NewWriterSize(conn, 1024)
	if err := req.Write(bw); err != nil {
		ex.fail(netx.KindOther, fmt.Errorf("write request: %w", err))
		return
	}
	if err := bw.Flush(); err != nil {
		ex.failIO(ctx, err, "send the request")
		return
	}
	if err := readResponse(conn, req.Method, ex); err != nil {
		ex.failIO(ctx, err, "read the response")
	}
}

var errTooLarge = errors.New("response too large")

// readResponse reads one HTTP response to a request with method from r,
// skipping interim 1xx responses, into ex. At most MaxHeaderBytes of
// headers and BodyPrefixBytes of body (plus chunk framing) are read. A
// failure while reading the body is not an error: the headers are what
// the checks need, and a body that dribbles is kept as far as it came.
func readResponse(r io.Reader, method string, ex *Exchange) error {
	cr := &capReader{r: r, left: MaxHeaderBytes}
	rec := &recorder{r: cr, keep: firstBytes}
	br := bufio.NewReaderSize(rec, 4096)
	req := &http.Request{Method: method}
	var resp *http.Response
	for i := 0; ; i++ {
		var err error
		resp, err = http.ReadResponse(br, req)
		switch {
		case errors.Is(err, errTooLarge):
			return fmt.Errorf("the response headers exceed %d KiB", MaxHeaderBytes>>10)
		case err != nil && len(rec.buf) > 0 && i == 0 && !netx.IsHTTPPrefix(rec.buf):
			return &notHTTPError{first: rec.buf}
		case err != nil:
			return err
		}
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		if i == maxInterim {
			return fmt.Errorf("more than %d interim (1xx) responses", maxInterim)
		}
	}
	defer resp.Body.Close()
	ex.StatusCode = resp.StatusCode
	ex.StatusLine = resp.Proto + " " + resp.Status
	ex.Header = resp.Header
	cr.left += BodyPrefixBytes + 4096 // the body prefix and its chunk framing
	body, _ := io.ReadAll(io.LimitReader(resp.Body, BodyPrefixBytes+1))
	if len(body) > BodyPrefixBytes {
		body, ex.BodyTruncated = body[:BodyPrefixBytes], true
	}
	if len(body) > 0 {
		ex.BodyPrefix = body
	}
	return nil
}

// notHTTPError is an answer that is not HTTP at all.
type notHTTPError struct{ first []byte }

func (e *notHTTPError) Error() string {
	return fmt.Sprintf("the peer did not answer HTTP (first bytes %q)", netx.Printable(e.first))
}

func (e *Exchange) fail(kind netx.ErrorKind, err error) {
	e.ErrKind, e.Err = kind, err.Error()
}

// failIO records a failure after the connection was up. classify decides
// the kind, as for any other socket error; failIO only words it as a step
// of the HTTP exchange. When the target's context has ended, the Dialer closed
// the socket and the read error says only that, so classify's words stand.
func (e *Exchange) failIO(ctx context.Context, err error, doing string) {
	se := netx.Classify(ctx, netx.PhaseHandshake, err)
	kind, msg := se.Kind, se.Err
	var nh *notHTTPError
	switch {
	case context.Cause(ctx) != nil:
	case kind == netx.KindDeadline:
		// The socket's deadline was the target's, and fired a moment
		// before the context noticed.
		msg = fmt.Errorf("target deadline ran out waiting to %s", doing)
	case errors.As(err, &nh):
		kind, msg = netx.KindProtocol, err
	case kind == netx.KindHandshakeTimeout:
		msg = fmt.Errorf("connected, but timed out waiting to %s", doing)
	case kind == netx.KindClosed:
		msg = errors.New("the peer closed the connection before it finished the response")
	default:
		msg = fmt.Errorf("%s: %v", doing, msg)
	}
	e.fail(kind, msg)
}

// capReader fails with errTooLarge once left bytes have been read.
type capReader struct {
	r    io.Reader
	left int
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errTooLarge
	}
	if len(p) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= n
	return n, err
}

// recorder keeps the first bytes read through it.
type recorder struct {
	r    io.Reader
	keep int
	buf  []byte
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if room := r.keep - len(r.buf); room > 0 && n > 0 {
		r.buf = append(r.buf, p[:min(n, room)]...)
	}
	return n, err
}

// newRequest builds the request for u. headers are added as given; the
// Host header comes from u.
func newRequest(method string, u *url.URL, userAgent string, headers map[string]string) *http.Request {
	h := http.Header{}
	h.Set("User-Agent", userAgent)
	h.Set("Accept", "*/*")
	for k, v := range headers {
		if http.CanonicalHeaderKey(k) == "Host" {
			continue
		}
		h.Set(k, v)
	}
	return &http.Request{
		Method:     method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Host:       u.Host,
		// One request per connection: "Connection: close".
		Close: true,
	}
}
