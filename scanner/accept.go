package scanner

import (
	"strings"
	"time"
)

// An Acceptance is an accepted risk: a finding the owner of a target knows
// about and has decided to live with until a date, for a stated reason.
// An accepted finding is still reported, marked accepted, and does not fail
// the gate; once Until has passed it counts again and says so.
type Acceptance struct {
	// Check is a check or rule ID ("cert-expiring-soon",
	// "zlint/e_sub_cert_aia_missing"), a family ("zlint"), or a path.Match
	// glob of them ("chain-*").
	Check string
	// Until is the last day (UTC) the acceptance holds, at 00:00 UTC.
	Until time.Time
	// Reason is why the risk is accepted (SARIF suppression justification).
	Reason string
	// Source is where the acceptance is written, for messages.
	Source Location
}

// Expires is the moment the acceptance stops holding: the start of the
// day after Until, so "until: 2026-12-31" covers all of the 31st everywhere.
func (a *Acceptance) Expires() time.Time { return a.Until.AddDate(0, 0, 1) }

// Holds reports whether the acceptance is still in force at now.
func (a *Acceptance) Holds(now time.Time) bool { return now.Before(a.Expires()) }

// Matches reports whether the acceptance covers findings with this ID. As
// in check selection, a pattern naming a family ("zlint") covers its rules
// ("zlint/e_sub_cert_aia_missing").
func (a *Acceptance) Matches(findingID string) bool {
	if match(a.Check, findingID) {
		return true
	}
	family, _, isRule := strings.Cut(findingID, "/")
	return isRule && match(a.Check, family)
}

// Accepted reports whether the finding is covered by an acceptance still in
// force at scan time: reported, but not counted by the gate.
func (f *Finding) Accepted() bool { return f.Acceptance != nil && !f.AcceptanceExpired }

// acceptanceFor picks the acceptance covering id at now: one still in force
// if any (the longest-lasting), else the one that expired last, so an
// expired finding can say which acceptance ran out. Nil when none matches.
func acceptanceFor(accept []Acceptance, id string, now time.Time) (a *Acceptance, expired bool) {
	var best *Acceptance
	for i := range accept {
		c := &accept[i]
		if !c.Matches(id) {
			continue
		}
		switch {
		case best == nil:
			best = c
		case c.Holds(now) && !best.Holds(now):
			best = c
		case c.Holds(now) == best.Holds(now) && c.Until.After(best.Until):
			best = c
		}
	}
	if best == nil {
		return nil, false
	}
	return best, !best.Holds(now)
}

// markAccepted records on each finding the target's acceptance covering it,
// decided once with the scan clock so that every report and the gate agree.
func markAccepted(r *Result, now time.Time) {
	if len(r.Target.Accept) == 0 {
		return
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Acceptance, f.AcceptanceExpired = acceptanceFor(r.Target.Accept, f.CheckID, now)
	}
}
