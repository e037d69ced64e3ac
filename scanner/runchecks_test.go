package scanner

import (
	"errors"
	"testing"
	"time"
)

// TestProbeErrorsInProbeOrder: a check that needs two probes which both
// failed is undecided with the first probe's error, every time (a map of
// probe errors gave either at random).
func TestProbeErrorsInProbeOrder(t *testing.T) {
	both := &Check{ID: "needs-both", Needs: NeedEnumeration | NeedHTTP, Run: func(*Pass) error { return nil }}
	s := New(Options{Checks: []*Check{both}, Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }})
	for range 50 {
		r := &Result{Target: &Target{}}
		s.runChecks(r, s.SelectedChecks(r.Target), []probeError{
			{NeedEnumeration, errors.New("enumeration failed")},
			{NeedHTTP, errors.New("http failed")},
		})
		if len(r.CheckErrors) != 1 || r.CheckErrors[0].Err != "enumeration failed" {
			t.Fatalf("check errors %v, want the enumeration's alone", r.CheckErrors)
		}
	}
}

// TestZeroConnectTimeout: a target built without ConnectTimeout (a
// hand-built Target, a library caller) connects with the default timeout
// instead of timing out at once.
func TestZeroConnectTimeout(t *testing.T) {
	if got := (&Target{}).connectTimeout(); got != DefaultConnectTimeout {
		t.Errorf("connect timeout %s, want %s", got, DefaultConnectTimeout)
	}
	if got := handshakeConfig(&Target{}).Timeout; got != DefaultConnectTimeout {
		t.Errorf("handshake timeout %s, want %s", got, DefaultConnectTimeout)
	}
}
