package netx

import (
	"context"
	"errors"
	"net"
	"os"
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
		ctx := OnResourceFailure(context.Background(), func(re *ResourceError) { stopped = re })
		se := Classify(ctx, PhaseDial, err)
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
	if se := Classify(ctx, PhaseHandshake, errors.New("use of closed network connection")); se.Kind != KindCanceled {
		t.Errorf("in flight after the stop: kind %s, want %s", se.Kind, KindCanceled)
	}
}
