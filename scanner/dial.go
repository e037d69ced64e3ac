package scanner

import (
	"cmp"
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// DefaultConnectTimeout bounds one connection's connect plus handshake
// when the target does not set ConnectTimeout (the targets file's default
// is the same).
const DefaultConnectTimeout = 10 * time.Second

// connectTimeout is t's ConnectTimeout, or the default when unset: a zero
// timeout would otherwise make every connection time out at once.
func (t *Target) connectTimeout() time.Duration {
	return cmp.Or(t.ConnectTimeout, DefaultConnectTimeout)
}

// dial opens a TCP connection to addr for target t. It takes one of the
// scanner's socket slots first, so every probe of every target together
// stays within Options.Concurrency sockets; closing the returned
// connection gives the slot back. The connection's deadline covers the
// connect and whatever handshake follows (Target.ConnectTimeout), and it is
// closed as soon as ctx ends, so no read can outlive the target.
func (s *Scanner) dial(ctx context.Context, t *Target, addr string) (net.Conn, time.Duration, *ScanError) {
	if err := s.sockets.Acquire(ctx, 1); err != nil {
		return nil, 0, slotError(ctx, err)
	}
	release := sync.OnceFunc(func() { s.sockets.Release(1) })
	start := time.Now()
	deadline := start.Add(t.connectTimeout())
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	c, err := s.dialer.DialContext(dctx, "tcp", addr)
	if err != nil {
		release()
		return nil, 0, classify(ctx, phaseDial, err)
	}
	connect := time.Since(start)
	_ = c.SetDeadline(deadline)
	sc := &slotConn{Conn: c, release: release}
	sc.stop = context.AfterFunc(ctx, func() { c.Close() })
	return sc, connect, nil
}

// slotConn gives the socket slot back when closed.
type slotConn struct {
	net.Conn
	release func()
	stop    func() bool
	once    sync.Once
	err     error
}

func (c *slotConn) Close() error {
	c.once.Do(func() {
		c.stop()
		c.err = c.Conn.Close()
		c.release()
	})
	return c.err
}

// slotError explains a wait for a socket slot that ended before one came
// free. No connect was attempted, so it is not a connect timeout: the
// target ran out of time (or the scan was interrupted) while every socket
// was busy with other probes.
func slotError(ctx context.Context, err error) *ScanError {
	se := classify(ctx, phaseDial, err)
	if se.Kind == KindConnectTimeout {
		return &ScanError{KindDeadline, errors.New("target deadline ran out while waiting for a free socket (every --concurrency socket was busy)")}
	}
	return se
}
