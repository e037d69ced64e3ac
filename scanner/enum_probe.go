package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"syscall"
	"time"
)

// EnumParallelism bounds the probe connections one target's enumeration
// has open at once. Each also takes a slot of the scanner's socket
// semaphore, so a fleet scan stays within Options.Concurrency sockets
// however many targets enumerate; this bound keeps one target from taking
// every slot, while still hiding a slow host's round trips (the suite and
// group loops of different versions run side by side).
const EnumParallelism = 4

// Enumerate probes which protocol versions, cipher suites and key-exchange
// groups the server at addr accepts. It never completes a handshake: each
// probe sends one ClientHello and reads until the server has answered
// (ServerHello, or ServerKeyExchange for DHE and ECDHE suites, or an
// alert), then hangs up.
//
// Every connection goes through the scanner's dial, and a probe holds one
// socket at a time and never waits for another while holding it, so
// enumerations cannot deadlock on the socket semaphore.
func (s *Scanner) Enumerate(ctx context.Context, t *Target, addr string) (*Enumeration, error) {
	start := time.Now()
	var conns atomic.Int64
	xchg := bounded(EnumParallelism, func(ctx context.Context, h helloSpec) (probeReply, error) {
		conns.Add(1)
		return s.exchange(ctx, t, addr, h)
	})
	e, err := runEnumeration(ctx, t.SNI(), xchg)
	e.Connections = int(conns.Load())
	e.Duration = time.Since(start)
	return e, err
}

// bounded lets at most n calls of xchg run at once. The slot is taken
// before the socket (in s.dial), and both are given back together, so a
// probe waiting here holds nothing another probe needs.
func bounded(n int, xchg exchangeFunc) exchangeFunc {
	limit := make(chan struct{}, n)
	return func(ctx context.Context, h helloSpec) (probeReply, error) {
		select {
		case limit <- struct{}{}:
		case <-ctx.Done():
			return probeReply{}, classify(ctx, phaseDial, context.Cause(ctx))
		}
		defer func() { <-limit }()
		return xchg(ctx, h)
	}
}

// enumerate is the scanner's enumeration probe. A target whose shared
// handshake failed is still enumerated (a NULL- or anonymous-only server
// completes no handshake any client library will make, yet its suites are
// exactly what must be reported); when that finds nothing either, the
// scan error already says why and enumeration adds nothing.
func (s *Scanner) enumerate(ctx context.Context, r *Result) (*Enumeration, error) {
	e, err := s.Enumerate(ctx, r.Target, r.Addr)
	if r.Handshake == nil && (err != nil || len(e.AcceptedVersions()) == 0) {
		return nil, nil
	}
	if err == nil && len(e.AcceptedVersions()) == 0 && e.Incomplete() == nil {
		err = errors.New("the server completed a handshake but refused every probe hello")
	}
	return e, err
}

// enumerable reports whether enumeration can tell anything about a target
// whose shared handshake ended with err: yes when a TCP connection was made
// and the failure was at the TLS level (an alert, or a hang-up, which is
// how some servers refuse a hello they have no suite for).
func enumerable(r *Result) bool {
	if r.Err == nil {
		return true
	}
	switch r.Err.Kind {
	case KindHandshake, KindClosed, KindReset:
		return true
	}
	return false
}

// exchange sends one probe hello on a new connection and reads the answer.
func (s *Scanner) exchange(ctx context.Context, t *Target, addr string, h helloSpec) (probeReply, error) {
	hello, err := h.marshal()
	if err != nil {
		return probeReply{}, err
	}
	conn, _, serr := s.dial(ctx, t, addr)
	if serr != nil {
		return probeReply{}, serr
	}
	defer conn.Close()
	if _, err := conn.Write(hello); err != nil {
		return refusedOr(ctx, err)
	}
	ans, err := readAnswer(conn, func(sh *serverHello) bool {
		info := Suite(sh.suite)
		return info.finiteFieldDH() || info.ellipticDH()
	})
	if err != nil {
		return refusedOr(ctx, err)
	}
	if ans.hello == nil {
		return probeReply{}, nil // refused with an alert
	}
	r := probeReply{
		accepted: true,
		version:  ans.hello.version,
		suite:    ans.hello.suite,
		group:    ans.hello.group,
		dhBits:   ans.kex.dhBits,
	}
	if r.group == 0 {
		r.group = ans.kex.curve
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
	return probeReply{}, classify(ctx, phaseHandshake, err)
}
