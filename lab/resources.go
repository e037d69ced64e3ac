package lab

import (
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"
)

// An endpoint that cannot accept a connection because this process is out
// of file descriptors is not broken: its listener is fine and the client
// waits in the backlog. The lab keeps accepting after a pause, as
// net/http's servers do, and records the failure, so that demo reports
// the machine's limit (exit 3) instead of endpoints that seemed to
// misbehave.

// acceptPause is how long an accept loop waits after running out of
// descriptors before it tries again.
const acceptPause = 20 * time.Millisecond

// ResourceErr is the first time an endpoint could not accept a connection
// for want of file descriptors, or nil.
func (e *Env) ResourceErr() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.resourceErr
}

// acceptFailed records err when it is the process running out of
// descriptors and reports whether accepting should go on.
func (e *Env) acceptFailed(ln net.Listener, err error) bool {
	if !outOfDescriptors(err) {
		return false
	}
	e.noteResourceErr(ln, err)
	select {
	case <-e.done:
		return false
	case <-time.After(acceptPause):
		return true
	}
}

// noteListener records the descriptor failures of an accept loop that is
// not the lab's own (net/http's, which retries them itself).
type noteListener struct {
	net.Listener
	env *Env
}

func (l noteListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil && outOfDescriptors(err) {
		l.env.noteResourceErr(l, err)
	}
	return c, err
}

func outOfDescriptors(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}

func (e *Env) noteResourceErr(ln net.Listener, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.resourceErr == nil {
		e.resourceErr = fmt.Errorf("lab endpoint on %s could not accept a connection: %w", ln.Addr(), err)
	}
}
