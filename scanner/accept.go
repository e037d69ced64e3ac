package scanner

import (
	"slices"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
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
	Source fileloc.Location
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
	return covers(a.Check, findingID)
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
// and on each check error (of a check among selected) the severity the
// gate weighs it at and whether an acceptance in force covers the check:
// decided once with the scan clock so that every report and the gate
// agree, also when a report is read back without its targets file.
func markAccepted(r *Result, selected []*Check, now time.Time) {
	for i := range r.CheckErrors {
		ce := &r.CheckErrors[i]
		if k := slices.IndexFunc(selected, func(c *Check) bool { return c.ID == ce.CheckID }); k >= 0 {
			ce.Severity = selected[k].UndecidedSeverity(r.Target)
		}
		a, expired := acceptanceFor(r.Target.Accept, ce.CheckID, now)
		ce.Accepted = a != nil && !expired
	}
	if len(r.Target.Accept) == 0 {
		return
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Acceptance, f.AcceptanceExpired = acceptanceFor(r.Target.Accept, f.CheckID, now)
	}
}

// UndecidedSeverity is the severity the gate weighs c at when it could
// not decide on t: a finding it might have made would have had it. That
// is the check's own severity (as 'tlsaudit checks' lists it); for a
// family (zlint), the highest of the rules t selects, since any of them
// could have fired.
func (c *Check) UndecidedSeverity(t *Target) Severity {
	if c.Rules == nil {
		return c.Severity
	}
	var sev Severity
	for _, rule := range c.Rules() {
		if t == nil || t.Checks.Allows(rule.ID) {
			sev = max(sev, rule.Severity)
		}
	}
	if sev == 0 {
		return c.Severity
	}
	return sev
}

// Weight is the severity the gate weighs the check error at: Severity,
// or critical when it is not known (an ID this version has no check for,
// in a report read back), so that it is never passed over.
func (ce *CheckError) Weight() Severity {
	if ce.Severity == 0 {
		return Critical
	}
	return ce.Severity
}
