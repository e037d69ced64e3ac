package scanner

import (
	"context"
	"net"
	"testing"
	"time"
)

// TestDialZeroConnectTimeout: a target built without ConnectTimeout (a
// hand-built Target, a library caller) still connects, with the default
// timeout, instead of timing out at once.
func TestDialZeroConnectTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s := New(Options{})
	c, _, se := s.dial(context.Background(), &Target{}, ln.Addr().String())
	if se != nil {
		t.Fatalf("dial with ConnectTimeout 0: %v", se)
	}
	c.Close()
}

// TestDialDeadlineWaitingForSlot: a target whose deadline runs out while
// every socket is busy never tried to connect; it is a deadline, not a
// connect timeout blaming the peer.
func TestDialDeadlineWaitingForSlot(t *testing.T) {
	s := New(Options{Concurrency: 1})
	if err := s.sockets.Acquire(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	defer s.sockets.Release(1)
	ctx, cancel := context.WithTimeoutCause(context.Background(), 10*time.Millisecond, errTargetDeadline)
	defer cancel()
	_, _, se := s.dial(ctx, &Target{ConnectTimeout: time.Second}, "127.0.0.1:1")
	if se == nil || se.Kind != KindDeadline {
		t.Fatalf("dial waiting for a slot past the deadline: %v, want kind %s", se, KindDeadline)
	}

	interrupted, stop := context.WithCancelCause(context.Background())
	stop(ErrInterrupted)
	if _, _, se := s.dial(interrupted, &Target{}, "127.0.0.1:1"); se == nil || se.Kind != KindCanceled {
		t.Fatalf("dial waiting for a slot when interrupted: %v, want kind %s", se, KindCanceled)
	}
}
