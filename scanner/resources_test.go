package scanner

import (
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"syscall"
	"testing"
)

// TestClassifyOutOfDescriptors: a socket the system refuses, directly or
// behind the resolver, is this machine's failure (KindLocal), never the
// target's "error"; it stops the Run it happens under.
func TestClassifyOutOfDescriptors(t *testing.T) {
	for _, err := range []error{
		&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("socket", syscall.EMFILE)},
		&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("socket", syscall.ENFILE)},
		&net.DNSError{Err: "dial udp 127.0.0.53:53: socket: " + syscall.EMFILE.Error(), Name: "a.test"},
	} {
		var stopped *ResourceError
		ctx := onResourceFailure(context.Background(), func(re *ResourceError) { stopped = re })
		se := classify(ctx, phaseDial, err)
		if se.Kind != KindLocal {
			t.Errorf("%v: kind %s, want %s", err, se.Kind, KindLocal)
		}
		if stopped == nil || stopped.Err != err {
			t.Errorf("%v: the run was not stopped (%v)", err, stopped)
		}
	}
	refused := &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	if isLocalResource(refused) {
		t.Error("connection refused taken for a local failure")
	}
	// A target still in flight when the run stopped is canceled, not
	// failed by whatever its socket said as it was closed.
	ctx, stop := context.WithCancelCause(context.Background())
	stop(&ResourceError{Err: syscall.EMFILE})
	if se := classify(ctx, phaseHandshake, errors.New("use of closed network connection")); se.Kind != KindCanceled {
		t.Errorf("in flight after the stop: kind %s, want %s", se.Kind, KindCanceled)
	}
}

// TestRunStopsOutOfDescriptors: when connects fail with EMFILE, Run
// returns a *ResourceError and emits no result: none could be judged.
func TestRunStopsOutOfDescriptors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	for _, ordered := range []bool{false, true} {
		s := New(Options{Concurrency: 4, Ordered: ordered})
		s.dialer.Control = func(string, string, syscall.RawConn) error {
			return os.NewSyscallError("socket", syscall.EMFILE)
		}
		var targets []*Target
		for i := range 50 {
			targets = append(targets, &Target{Index: i, Host: "127.0.0.1", ServerName: "127.0.0.1", Port: port})
		}
		var emitted []*Result
		err := s.Run(context.Background(), slices.Values(targets), func(r *Result) error {
			emitted = append(emitted, r)
			return nil
		})
		var re *ResourceError
		if !errors.As(err, &re) || !errors.Is(err, syscall.EMFILE) {
			t.Fatalf("ordered %v: Run returned %v, want a ResourceError", ordered, err)
		}
		for _, r := range emitted {
			t.Errorf("ordered %v: target %d emitted after the stop, with %v", ordered, r.Target.Index, r.Err)
		}
	}
}
