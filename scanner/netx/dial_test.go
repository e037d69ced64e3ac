package netx

import (
	"context"
	"testing"
	"time"
)

// TestDialDeadlineWaitingForSlot: a target whose deadline runs out while
// every socket is busy never tried to connect; it is a deadline, not a
// connect timeout blaming the peer.
func TestDialDeadlineWaitingForSlot(t *testing.T) {
	s := NewSockets(1, nil)
	if err := s.slots.Acquire(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	defer s.slots.Release(1)
	ctx, cancel := context.WithTimeoutCause(context.Background(), 10*time.Millisecond, ErrTargetDeadline)
	defer cancel()
	_, _, se := s.Dial(ctx, "127.0.0.1:1", time.Second)
	if se == nil || se.Kind != KindDeadline {
		t.Fatalf("dial waiting for a slot past the deadline: %v, want kind %s", se, KindDeadline)
	}

	interrupted, stop := context.WithCancelCause(context.Background())
	stop(ErrInterrupted)
	if _, _, se := s.Dial(interrupted, "127.0.0.1:1", time.Second); se == nil || se.Kind != KindCanceled {
		t.Fatalf("dial waiting for a slot when interrupted: %v, want kind %s", se, KindCanceled)
	}
}
