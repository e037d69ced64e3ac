// Package netx is how every probe reaches the network: a Dialer that
// keeps all of a scan's connections within one budget of sockets, bounds
// each by its timeout and the target's deadline, and closes it when the
// target's context ends; and the vocabulary of what went wrong (ErrorKind,
// ScanError, Classify) that every probe and report shares.
//
// Probes take a Dialer, not the concrete Sockets, so that a step every
// connection to a target's TLS port must go through (a STARTTLS upgrade)
// wraps the Dialer once, in the scanner, and every probe gets it.
package netx

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"
)

// A Dialer opens one connection for a probe. The connection's deadline
// covers the connect and whatever handshake follows (timeout), it is closed
// as soon as ctx ends, and closing it gives back what it held; connect is
// how long the connect took.
type Dialer interface {
	Dial(ctx context.Context, addr string, timeout time.Duration) (conn net.Conn, connect time.Duration, err *ScanError)
}

// Sockets is the scan's Dialer: every probe of every target together
// stays within its number of sockets, and it resolves names with the
// scan's resolver. It is safe for concurrent use.
type Sockets struct {
	// Net makes the TCP connections; tests set its Control.
	Net      net.Dialer
	resolver *net.Resolver
	slots    *semaphore.Weighted
}

// NewSockets returns a Dialer allowing n sockets at once that resolves
// names with resolver (nil: net.DefaultResolver).
func NewSockets(n int, resolver *net.Resolver) *Sockets {
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	return &Sockets{resolver: resolver, slots: semaphore.NewWeighted(int64(n))}
}

// Dial opens a TCP connection to addr. It takes one of the socket slots
// first; closing the returned connection gives the slot back.
func (s *Sockets) Dial(ctx context.Context, addr string, timeout time.Duration) (net.Conn, time.Duration, *ScanError) {
	if err := s.slots.Acquire(ctx, 1); err != nil {
		return nil, 0, slotError(ctx, err)
	}
	release := sync.OnceFunc(func() { s.slots.Release(1) })
	start := time.Now()
	deadline := start.Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	c, err := s.Net.DialContext(dctx, "tcp", addr)
	if err != nil {
		release()
		return nil, 0, Classify(ctx, PhaseDial, err)
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
	se := Classify(ctx, PhaseDial, err)
	if se.Kind == KindConnectTimeout {
		return &ScanError{KindDeadline, errors.New("target deadline ran out while waiting for a free socket (every --concurrency socket was busy)")}
	}
	return se
}
