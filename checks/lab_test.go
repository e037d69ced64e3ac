package checks_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// startLab starts the whole lab for one test.
func startLab(t *testing.T) *lab.Lab {
	t.Helper()
	l, err := lab.Start(lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// TestLab scans every lab endpoint with every check and compares the
// checks that fired with the endpoint's Want, both ways: a check that fires
// where it should not fails as surely as one that stays silent.
func TestLab(t *testing.T) {
	l := startLab(t)
	s := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver()})
	for _, ep := range l.Endpoints {
		if ep.CrossTarget {
			continue // TestLabCrossTarget: they need a scan in lab order
		}
		t.Run(ep.Name, func(t *testing.T) {
			t.Parallel()
			var results []*scanner.Result
			s.ScanTarget(context.Background(), ep.Target(), func(r *scanner.Result) { results = append(results, r) })
			if len(results) != 1 {
				t.Fatalf("got %d results, want 1", len(results))
			}
			if msg := lab.Mismatch(ep.Endpoint, results[0]); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// TestLabCrossTarget scans the endpoints whose findings depend on other
// targets of the same scan in one Run, in lab order after the endpoints
// they depend on, where they must fire; and each alone, where they must
// not (drown-shared-key without the SSLv2 endpoint in the scan).
func TestLabCrossTarget(t *testing.T) {
	l := startLab(t)
	var cross []*lab.Running
	var targets []*scanner.Target
	for _, ep := range l.Endpoints {
		if ep.CrossTarget {
			cross = append(cross, ep)
			targets = append(targets, ep.Target())
		}
	}
	if len(cross) == 0 {
		t.Fatal("no cross-target endpoints")
	}
	s := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver()})
	// The SSLv2 endpoint first, so that no race decides the outcome; the
	// others concurrently, as a scan does.
	s.ScanTarget(context.Background(), l.Endpoint("ssl2").Target(), func(*scanner.Result) {})
	got := map[string]*scanner.Result{}
	err := s.Run(context.Background(), slices.Values(targets), func(r *scanner.Result) error {
		got[r.Target.Name] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, ep := range cross {
		if msg := lab.Mismatch(ep.Endpoint, got[ep.Name]); msg != "" {
			t.Errorf("%s: %s", ep.Name, msg)
		}
		alone := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver()})
		var r *scanner.Result
		alone.ScanTarget(context.Background(), ep.Target(), func(res *scanner.Result) { r = res })
		for _, f := range r.Findings {
			t.Errorf("%s scanned alone: %s fired: %s", ep.Name, f.CheckID, f.Message)
		}
	}
}

// TestEveryCheckHasALabEndpoint makes sure no check is registered without
// a real server that shows it firing, and that every ID the lab expects is
// a real check.
func TestEveryCheckHasALabEndpoint(t *testing.T) {
	wanted := map[string]bool{}
	for _, ep := range lab.Endpoints() {
		for _, id := range ep.Want {
			if family, _, isRule := strings.Cut(id, "/"); isRule {
				// A family's rule: it counts for the family check.
				if _, ok := checks.ZlintRule(id); !ok || family != checks.Zlint.ID {
					t.Errorf("lab endpoint %s wants unknown rule %q", ep.Name, id)
				}
				id = family
			} else if checks.ByID(id) == nil {
				t.Errorf("lab endpoint %s wants unknown check %q", ep.Name, id)
			}
			wanted[id] = true
		}
	}
	for _, c := range checks.All() {
		if c.Needs&scanner.NeedSource != 0 {
			continue // code checks read source files: discover TestSampleFindings
		}
		if !wanted[c.ID] && (!handshake.LegacyClient || !checks.ZlintAvailable) {
			continue // a build without zcrypto leaves out the endpoints that need it (lab/build_features.go)
		}
		if !wanted[c.ID] {
			t.Errorf("check %s fires on no lab endpoint", c.ID)
		}
	}
	if lab.Endpoints()[0].Name != "good" || len(lab.Endpoints()[0].Want) != 0 {
		t.Error("the first lab endpoint must be the good one, where every check is silent")
	}
}

func TestValidate(t *testing.T) {
	if err := scanner.Validate(checks.All()); err != nil {
		t.Fatal(err)
	}
}
