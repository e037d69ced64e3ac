package cli

import (
	"sync"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// addUndecided counts r's checks that could not decide and whose severity
// is at or above --fail-on: a finding they might have made would have
// failed the gate, so not deciding must not pass it. A check whose
// findings an accepted risk in force on the target covers is left out, as
// its findings would be.
func (g *gate) addUndecided(r *scanner.Result) {
	n := 0
	for _, ce := range r.CheckErrors {
		if undecidedSeverity(ce.CheckID, r.Target) < g.failOn || acceptedCheck(r, ce.CheckID) {
			continue
		}
		n++
	}
	if n > 0 {
		g.undecided += n
		g.undecidedOn++
	}
}

// undecidedSeverity is the severity the gate weighs a check that could
// not decide at: the check's own (as 'tlsaudit checks' lists it); for a
// family (zlint), the highest of the rules the target selects, since any
// of them could have fired. An ID no known check has (a report from
// another version, read back) weighs critical, so it is never passed
// over.
func undecidedSeverity(id string, t *scanner.Target) scanner.Severity {
	c := knownChecks()[id]
	if c == nil {
		return scanner.Critical
	}
	if c.Rules == nil {
		return c.Severity
	}
	var sev scanner.Severity
	for _, rule := range familyRules(c) {
		if t == nil || t.Checks.Allows(rule.ID) {
			sev = max(sev, rule.Severity)
		}
	}
	if sev == 0 {
		return c.Severity
	}
	return sev
}

// acceptedCheck reports whether an accepted risk in force at scan time
// covers every finding of check id on r's target.
func acceptedCheck(r *scanner.Result, id string) bool {
	if r.Target == nil {
		return false
	}
	for i := range r.Target.Accept {
		if a := &r.Target.Accept[i]; a.Matches(id) && a.Holds(r.Start) {
			return true
		}
	}
	return false
}

// knownChecks indexes the checks a scan runs (checks.All) by ID.
var knownChecks = sync.OnceValue(func() map[string]*scanner.Check {
	m := map[string]*scanner.Check{}
	for _, c := range checks.All() {
		m[c.ID] = c
	}
	return m
})

// familyRules lists a family's rules once per process: zlint builds
// hundreds of them from its registry.
var (
	rulesMu    sync.Mutex
	rulesCache = map[string][]scanner.Rule{}
)

func familyRules(c *scanner.Check) []scanner.Rule {
	rulesMu.Lock()
	defer rulesMu.Unlock()
	rules, ok := rulesCache[c.ID]
	if !ok {
		rules = c.Rules()
		rulesCache[c.ID] = rules
	}
	return rules
}
