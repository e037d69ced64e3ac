package httpprobe

import (
	"bytes"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"
)

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func read(t *testing.T, raw, method string) (*Exchange, error) {
	t.Helper()
	ex := &Exchange{}
	err := readResponse(strings.NewReader(raw), method, ex)
	return ex, err
}

func TestReadResponse(t *testing.T) {
	t.Run("status line, headers, body prefix", func(t *testing.T) {
		body := strings.Repeat("x", 1000)
		ex, err := read(t, "HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=1\r\nContent-Length: 1000\r\n\r\n"+body, "GET")
		if err != nil || ex.StatusCode != 200 || ex.StatusLine != "HTTP/1.1 200 OK" || ex.Header.Get("Strict-Transport-Security") != "max-age=1" {
			t.Fatalf("%+v, %v", ex, err)
		}
		if len(ex.BodyPrefix) != BodyPrefixBytes || !ex.BodyTruncated {
			t.Errorf("body prefix %d bytes, truncated %v", len(ex.BodyPrefix), ex.BodyTruncated)
		}
	})
	t.Run("reason phrase kept raw", func(t *testing.T) {
		ex, err := read(t, "HTTP/1.0 404 Not \x1b[31mFound\r\n\r\n", "GET")
		if err != nil || ex.StatusLine != "HTTP/1.0 404 Not \x1b[31mFound" {
			t.Errorf("%q, %v", ex.StatusLine, err)
		}
	})
	t.Run("chunked body", func(t *testing.T) {
		ex, err := read(t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "GET")
		if err != nil || string(ex.BodyPrefix) != "hello" || ex.BodyTruncated {
			t.Errorf("%q, %v", ex.BodyPrefix, err)
		}
	})
	t.Run("HEAD has no body", func(t *testing.T) {
		ex, err := read(t, "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", "HEAD")
		if err != nil || ex.StatusCode != 200 || ex.BodyPrefix != nil {
			t.Errorf("%+v, %v", ex, err)
		}
	})
	t.Run("interim responses skipped", func(t *testing.T) {
		ex, err := read(t, "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", "GET")
		if err != nil || ex.StatusCode != 204 {
			t.Errorf("%+v, %v", ex, err)
		}
	})
	t.Run("endless interim responses", func(t *testing.T) {
		_, err := read(t, strings.Repeat("HTTP/1.1 103 Early Hints\r\n\r\n", 10), "GET")
		if err == nil || !strings.Contains(err.Error(), "interim") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("headers too large", func(t *testing.T) {
		huge := "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-Pad: "+strings.Repeat("a", 1000)+"\r\n", 100) + "\r\n"
		_, err := read(t, huge, "GET")
		if err == nil || !strings.Contains(err.Error(), "exceed 64 KiB") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("not HTTP", func(t *testing.T) {
		_, err := read(t, "\x15\x03\x01\x00\x02\x02\x46", "GET")
		var nh *notHTTPError
		if err == nil || !strings.Contains(err.Error(), "did not answer HTTP") || !errors.As(err, &nh) || !bytes.Equal(nh.first, []byte("\x15\x03\x01\x00\x02\x02\x46")) {
			t.Errorf("%v", err)
		}
	})
	t.Run("body cut short keeps headers", func(t *testing.T) {
		ex, err := read(t, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc", "GET")
		if err != nil || ex.StatusCode != 200 || string(ex.BodyPrefix) != "abc" {
			t.Errorf("%+v, %v", ex, err)
		}
	})
}

// TestReadResponseReadsBoundedBytes proves the caps hold against a peer
// that never stops sending.
func TestReadResponseReadsBoundedBytes(t *testing.T) {
	for _, head := range []string{
		"HTTP/1.1 200 OK\r\nX: ",  // endless header
		"HTTP/1.1 200 OK\r\n\r\n", // endless body (read until close)
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffff\r\n", // one huge chunk
	} {
		r := &countingReader{r: io.MultiReader(strings.NewReader(head), endless{})}
		ex := &Exchange{}
		_ = readResponse(r, "GET", ex)
		if limit := MaxHeaderBytes + BodyPrefixBytes + 4096; r.n > limit {
			t.Errorf("%q: read %d bytes, more than %d", head, r.n, limit)
		}
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// FuzzReadResponse feeds arbitrary bytes to the response reader: it must
// not panic, must keep its bounds, and must either parse a status or
// fail.
func FuzzReadResponse(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"HTTP/1.1 301 Moved\r\nLocation: https://x/\r\nStrict-Transport-Security: max-age=1, x\r\n\r\n",
		"HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.0 200 OK\n\nbody",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext\r\nabc\r\n0\r\n\r\n",
		"\x16\x03\x01garbage", "HTTP/9.9 999 ?\r\n\r\n",
	} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, head bool) {
		method := "GET"
		if head {
			method = "HEAD"
		}
		ex := &Exchange{}
		r := &countingReader{r: bytes.NewReader(data)}
		err := readResponse(r, method, ex)
		if r.n > MaxHeaderBytes+BodyPrefixBytes+4096 {
			t.Fatalf("read %d bytes", r.n)
		}
		var nh *notHTTPError
		if errors.As(err, &nh) && len(nh.first) > firstBytes {
			t.Fatalf("kept %d first bytes", len(nh.first))
		}
		if len(ex.BodyPrefix) > BodyPrefixBytes {
			t.Fatalf("kept %d body bytes", len(ex.BodyPrefix))
		}
		if err == nil && (ex.StatusCode < 100 || ex.StatusCode > 999 || (ex.StatusCode < 200 && ex.StatusCode != 101)) {
			t.Fatalf("parsed status %d without error", ex.StatusCode)
		}
		if err != nil && ex.StatusCode != 0 {
			t.Fatalf("error %v with status %d", err, ex.StatusCode)
		}
	})
}
