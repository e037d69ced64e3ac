// Package enum finds every protocol version, cipher suite and key-exchange
// group a server accepts, with hand-built ClientHellos (cryptobyte) that
// offer what no TLS library implements and stop at the server's answer.
// Hello builds a probe hello and ReadAnswer parses what comes back, for
// any probe that needs a hello of its own.
package enum

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// Parallelism bounds the probe connections one target's enumeration
// has open at once. Each also takes a slot of the scanner's socket
// semaphore, so a fleet scan stays within Options.Concurrency sockets
// however many targets enumerate; this bound keeps one target from taking
// every slot, while still hiding a slow host's round trips (the suite and
// group loops of different versions run side by side).
const Parallelism = 4

// Config is how to reach the server.
type Config struct {
	// ServerName is sent as SNI; empty sends none.
	ServerName string
	// Timeout bounds each probe connection's connect plus answer.
	Timeout time.Duration
	// ALPN is offered in every probe hello when set.
	ALPN []string
}

// Run probes which protocol versions, cipher suites and key-exchange
// groups the server at addr accepts. It never completes a handshake: each
// probe sends one ClientHello and reads until the server has answered
// (ServerHello, or ServerKeyExchange for DHE and ECDHE suites, or an
// alert), then hangs up.
//
// Every connection goes through d, and a probe holds one socket at a time
// and never waits for another while holding it, so enumerations cannot
// deadlock on a socket budget.
func Run(ctx context.Context, d netx.Dialer, cfg Config, addr string) (*Enumeration, error) {
	start := time.Now()
	var conns atomic.Int64
	xchg := bounded(Parallelism, func(ctx context.Context, h Hello) (probeReply, error) {
		conns.Add(1)
		return exchange(ctx, d, cfg, addr, h)
	})
	e, err := runEnumeration(ctx, cfg.ServerName, xchg)
	e.Connections = int(conns.Load())
	e.Duration = time.Since(start)
	return e, err
}

// bounded lets at most n calls of xchg run at once. The slot is taken
// before the socket (in the Dialer), and both are given back together, so a
// probe waiting here holds nothing another probe needs.
func bounded(n int, xchg exchangeFunc) exchangeFunc {
	limit := make(chan struct{}, n)
	return func(ctx context.Context, h Hello) (probeReply, error) {
		select {
		case limit <- struct{}{}:
		case <-ctx.Done():
			return probeReply{}, netx.Classify(ctx, netx.PhaseDial, context.Cause(ctx))
		}
		defer func() { <-limit }()
		return xchg(ctx, h)
	}
}

// exchange sends one probe hello on a new connection and reads the answer.
func exchange(ctx context.Context, d netx.Dialer, cfg Config, addr string, h Hello) (probeReply, error) {
	h.Extra = append(h.Extra[:len(h.Extra):len(h.Extra)], ALPNExtension(cfg.ALPN)...)
	hello, err := h.Marshal()
	if err != nil {
		return probeReply{}, err
	}
	conn, _, serr := d.Dial(ctx, addr, cfg.Timeout)
	if serr != nil {
		return probeReply{}, serr
	}
	defer conn.Close()
	if _, err := conn.Write(hello); err != nil {
		return refusedOr(ctx, err)
	}
	ans, err := ReadAnswer(conn, func(sh *ServerHello) bool {
		info := tlsinfo.Suite(sh.Suite)
		return info.FiniteFieldDH() || info.EllipticDH()
	})
	if err != nil {
		return refusedOr(ctx, err)
	}
	if ans.Hello == nil {
		return probeReply{}, nil // refused with an alert
	}
	r := probeReply{
		accepted: true,
		version:  ans.Hello.Version,
		suite:    ans.Hello.Suite,
		group:    ans.Hello.Group,
		dhBits:   ans.Kex.DHBits,
	}
	if r.group == 0 {
		r.group = ans.Kex.Curve
	}
	return r, nil
}

// refusedOr treats a hang-up before the ServerHello as a refusal, as many
// servers (and middleboxes) refuse a hello they dislike by closing the
// connection; anything else means the probe could not tell.
func refusedOr(ctx context.Context, err error) (probeReply, error) {
	if ctx.Err() == nil {
		switch {
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
			errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
			return probeReply{}, nil
		}
	}
	if errors.Is(err, errMalformed) {
		return probeReply{}, fmt.Errorf("server answered a probe hello with nonsense: %w", err)
	}
	return probeReply{}, netx.Classify(ctx, netx.PhaseHandshake, err)
}
