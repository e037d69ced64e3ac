package netx

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingDialer counts the connections open through it at once, exactly:
// up when a dial succeeds, down when the connection is closed, before the
// host limit above it lets the next dial through.
type countingDialer struct {
	d         Dialer
	open, max atomic.Int64
}

func (c *countingDialer) Dial(ctx context.Context, addr string, timeout time.Duration) (net.Conn, time.Duration, *ScanError) {
	conn, d, err := c.d.Dial(ctx, addr, timeout)
	if err != nil {
		return nil, 0, err
	}
	n := c.open.Add(1)
	for m := c.max.Load(); n > m && !c.max.CompareAndSwap(m, n); m = c.max.Load() {
	}
	return &countedConn{Conn: conn, open: &c.open}, d, nil
}

type countedConn struct {
	net.Conn
	open *atomic.Int64
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.open.Add(-1) })
	return c.Conn.Close()
}

// TestHostLimitCapsConnectionsPerAddress: many probes dialling one
// address at once through a limit of 2 never have more than 2
// connections open to it, and every probe still gets its connection (a
// wait for a slot is not a failure).
func TestHostLimitCapsConnectionsPerAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = c.Read(make([]byte, 1)) // until the client hangs up
			}()
		}
	}()

	const limit, probes = 2, 16
	counter := &countingDialer{d: NewSockets(64, nil)}
	d := NewHostLimit(limit).Limit(counter)
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range probes {
		wg.Go(func() {
			c, _, err := d.Dial(context.Background(), ln.Addr().String(), 5*time.Second)
			if err != nil {
				failed.Add(1)
				t.Error(err)
				return
			}
			// Hold it a moment so that, without the limit, the probes'
			// connections overlap.
			time.Sleep(20 * time.Millisecond)
			c.Close()
		})
	}
	wg.Wait()
	if m := counter.max.Load(); m > limit {
		t.Errorf("%d connections open at once to one address, limit %d", m, limit)
	}
	if counter.max.Load() == 0 || failed.Load() > 0 {
		t.Errorf("max %d open, %d dials failed", counter.max.Load(), failed.Load())
	}
}

// TestHostLimitWaitEndsAtDeadline: a probe waiting for a slot that never
// frees ends with the target's deadline, not a hang or a connect timeout.
func TestHostLimitWaitEndsAtDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	d := NewHostLimit(1).Limit(NewSockets(8, nil))
	held, _, serr := d.Dial(context.Background(), ln.Addr().String(), 5*time.Second)
	if serr != nil {
		t.Fatal(serr)
	}
	defer held.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, serr := d.Dial(ctx, ln.Addr().String(), 5*time.Second); serr == nil || serr.Kind != KindDeadline {
		t.Errorf("waiting for a slot past the deadline: %v, want %s", serr, KindDeadline)
	}
}
