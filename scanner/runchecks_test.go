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
	s := New(Options{Checks: []*Check{both}, Now: func() time.Time { return now }})
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
