package scanner

import (
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestAcceptanceHoldsThroughItsLastDay(t *testing.T) {
	a := &Acceptance{Check: "cert-expired", Until: day(2026, 12, 31)}
	for _, c := range []struct {
		now  time.Time
		want bool
	}{
		{day(2026, 12, 31).Add(23*time.Hour + 59*time.Minute), true},
		{day(2027, 1, 1), false},
		{day(2026, 1, 1), true},
	} {
		if got := a.Holds(c.now); got != c.want {
			t.Errorf("Holds(%s) = %v, want %v", c.now, got, c.want)
		}
	}
}

func TestMarkAccepted(t *testing.T) {
	now := day(2026, 11, 23)
	target := &Target{Accept: []Acceptance{
		{Check: "chain-*", Until: day(2026, 11, 1), Reason: "expired one"},
		{Check: "chain-incomplete", Until: day(2026, 12, 31), Reason: "in force"},
		{Check: "cert-expired", Until: day(2026, 11, 22), Reason: "ran out yesterday"},
	}}
	r := &Result{Target: target, Findings: []Finding{
		{CheckID: "chain-incomplete"},
		{CheckID: "chain-self-signed"},
		{CheckID: "cert-expired"},
		{CheckID: "hostname-mismatch"},
	}}
	markAccepted(r, nil, now)
	f := r.Findings
	if !f[0].Accepted() || f[0].Acceptance.Reason != "in force" {
		t.Errorf("chain-incomplete: %+v; the acceptance in force should win over the expired glob", f[0])
	}
	if f[1].Accepted() || !f[1].AcceptanceExpired || f[1].Acceptance.Reason != "expired one" {
		t.Errorf("chain-self-signed: %+v; want the expired glob, marked expired", f[1])
	}
	if f[2].Accepted() || !f[2].AcceptanceExpired {
		t.Errorf("cert-expired: %+v; its acceptance ran out yesterday", f[2])
	}
	if f[3].Acceptance != nil || f[3].Accepted() {
		t.Errorf("hostname-mismatch: %+v; nothing accepts it", f[3])
	}
}

func TestAcceptanceMatchesFamilies(t *testing.T) {
	for pattern, ids := range map[string][2][]string{
		"cert-*":                       {{"cert-expired", "cert-expiring-soon"}, {"chain-invalid", "zlint/e_x"}},
		"zlint":                        {{"zlint/e_sub_cert_aia_missing", "zlint/w_x"}, {"zlint-other", "cert-expired"}},
		"zlint/w_*":                    {{"zlint/w_x"}, {"zlint/e_x"}},
		"zlint/e_sub_cert_aia_missing": {{"zlint/e_sub_cert_aia_missing"}, {"zlint/e_sub_cert_aia_marked_critical"}},
	} {
		a := &Acceptance{Check: pattern}
		for _, id := range ids[0] {
			if !a.Matches(id) {
				t.Errorf("%q does not cover %s", pattern, id)
			}
		}
		for _, id := range ids[1] {
			if a.Matches(id) {
				t.Errorf("%q covers %s", pattern, id)
			}
		}
	}
}

// TestMarkAcceptedCheckErrors: a check that could not decide is weighed
// at its severity (a family at the highest rule the target selects) and
// is accepted only by an acceptance in force that covers it.
func TestMarkAcceptedCheckErrors(t *testing.T) {
	now := day(2026, 11, 23)
	family := &Check{ID: "fam", Severity: Info, Rules: func() []Rule {
		return []Rule{{ID: "fam/e_x", Severity: High}, {ID: "fam/w_x", Severity: Low}}
	}}
	hsts := &Check{ID: "hsts-missing", Severity: Medium}
	expired := &Check{ID: "cert-expired", Severity: Critical}
	target := &Target{
		Checks: Selection{Skip: []string{"fam/e_*"}},
		Accept: []Acceptance{
			{Check: "hsts-*", Until: day(2026, 12, 31), Reason: "in force"},
			{Check: "cert-expired", Until: day(2026, 11, 22), Reason: "ran out yesterday"},
		},
	}
	r := &Result{Target: target, CheckErrors: []CheckError{{CheckID: "hsts-missing"}, {CheckID: "fam"}, {CheckID: "cert-expired"}}}
	markAccepted(r, []*Check{hsts, family, expired}, now)
	want := []CheckError{
		{CheckID: "hsts-missing", Severity: Medium, Accepted: true},
		{CheckID: "fam", Severity: Low},
		{CheckID: "cert-expired", Severity: Critical},
	}
	for i, ce := range r.CheckErrors {
		if ce != want[i] {
			t.Errorf("check error %d = %+v, want %+v", i, ce, want[i])
		}
	}
	if unknown := (CheckError{CheckID: "from-another-version"}); unknown.Weight() != Critical {
		t.Errorf("a check error of unknown severity weighs %v, want critical", unknown.Weight())
	}
}
