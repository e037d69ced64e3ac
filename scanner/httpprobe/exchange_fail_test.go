package httpprobe

import (
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// TestFailIO pins the kind and wording of each way an HTTP exchange fails
// after the connection was up: the kind is classify's, the words name the
// step of the exchange.
func TestFailIO(t *testing.T) {
	bg := context.Background()
	past, cancelPast := context.WithDeadline(bg, time.Now().Add(-time.Second))
	defer cancelPast()
	// A deadline that has passed but whose context has not noticed: the
	// socket's deadline (the target's) fired first.
	passed := deadlineOnly{bg, time.Now().Add(-time.Second)}
	interrupted, cancel := context.WithCancelCause(bg)
	cancel(netx.ErrInterrupted)
	cases := []struct {
		name string
		ctx  context.Context
		err  error
		kind netx.ErrorKind
		msg  string
	}{
		{"eof", bg, io.ErrUnexpectedEOF, netx.KindClosed, "the peer closed the connection before it finished the response"},
		{"timeout", bg, os.ErrDeadlineExceeded, netx.KindHandshakeTimeout, "connected, but timed out waiting to read the response"},
		{"socket deadline is the target's", passed, os.ErrDeadlineExceeded, netx.KindDeadline, "target deadline ran out waiting to read the response"},
		{"target deadline", past, io.EOF, netx.KindDeadline, "target deadline ran out: EOF"},
		{"interrupted", interrupted, io.EOF, netx.KindCanceled, "scan interrupted before this target finished"},
		{"not http", bg, &notHTTPError{first: []byte("SSH-2.0")}, netx.KindProtocol, `the peer did not answer HTTP (first bytes "SSH-2.0")`},
		{"reset", bg, fmt.Errorf("read: %w", syscall.ECONNRESET), netx.KindReset, "read the response: connection reset by peer"},
	}
	for _, c := range cases {
		ex := &Exchange{}
		ex.failIO(c.ctx, c.err, "read the response")
		if ex.ErrKind != c.kind || ex.Err != c.msg {
			t.Errorf("%s: got %s %q, want %s %q", c.name, ex.ErrKind, ex.Err, c.kind, c.msg)
		}
	}
}

// deadlineOnly has a deadline but is never done.
type deadlineOnly struct {
	context.Context
	d time.Time
}

func (c deadlineOnly) Deadline() (time.Time, bool) { return c.d, true }
