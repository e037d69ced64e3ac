package netx

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"
)

// HostLimit bounds the connections open at once to one IP address, across
// every target and probe of a scan. Mail, directory and database daemons
// start a process or a login helper per connection (Dovecot's login
// processes, Postfix's smtpd, a PostgreSQL backend) and accept slowly;
// a scan's enumeration connections to several of their ports at once
// queue in their accept backlog, where a connection's handshake timeout
// runs out before the server has even accepted it. Waiting here instead
// costs no timeout: a connection's timeout starts when its slot is taken.
type HostLimit struct {
	n     int64
	mu    sync.Mutex
	hosts map[string]*hostSlots
}

type hostSlots struct {
	sem   *semaphore.Weighted
	users int
}

// NewHostLimit allows n connections at once per IP address (n < 1: 1).
func NewHostLimit(n int) *HostLimit {
	return &HostLimit{n: int64(max(n, 1)), hosts: map[string]*hostSlots{}}
}

// Limit is d with at most the limit's number of connections per address
// open at once.
func (l *HostLimit) Limit(d Dialer) Dialer { return hostLimited{l: l, d: d} }

type hostLimited struct {
	l *HostLimit
	d Dialer
}

func (h hostLimited) Dial(ctx context.Context, addr string, timeout time.Duration) (net.Conn, time.Duration, *ScanError) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	release, serr := h.l.acquire(ctx, host)
	if serr != nil {
		return nil, 0, serr
	}
	c, connect, serr := h.d.Dial(ctx, addr, timeout)
	if serr != nil {
		release()
		return nil, 0, serr
	}
	return &releasingConn{Conn: c, release: release}, connect, nil
}

// acquire takes one of host's slots; the entry is dropped when its last
// user is done, so the map holds only hosts with connections under way.
func (l *HostLimit) acquire(ctx context.Context, host string) (func(), *ScanError) {
	l.mu.Lock()
	hs := l.hosts[host]
	if hs == nil {
		hs = &hostSlots{sem: semaphore.NewWeighted(l.n)}
		l.hosts[host] = hs
	}
	hs.users++
	l.mu.Unlock()
	done := func() {
		l.mu.Lock()
		if hs.users--; hs.users == 0 {
			delete(l.hosts, host)
		}
		l.mu.Unlock()
	}
	if err := hs.sem.Acquire(ctx, 1); err != nil {
		done()
		se := Classify(ctx, PhaseDial, err)
		if se.Kind == KindConnectTimeout {
			se = &ScanError{KindDeadline, errors.New("target deadline ran out while waiting for a connection to the host (at most the per-host limit open at once)")}
		}
		return nil, se
	}
	return sync.OnceFunc(func() {
		hs.sem.Release(1)
		done()
	}), nil
}

// releasingConn gives the host slot back when closed.
type releasingConn struct {
	net.Conn
	release func()
}

func (c *releasingConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
