package cli

import "github.com/tlsaudit/tlsaudit/scanner"

// addUndecided counts r's checks that could not decide and whose severity
// is at or above --fail-on: a finding they might have made would have
// failed the gate, so not deciding must not pass it. A check whose
// findings an accepted risk in force on the target covers is left out, as
// its findings would be. The scanner decided both once and recorded them
// on the check error (scanner.CheckError), so a report read back by merge
// gates as the scan did.
func (g *gate) addUndecided(r *scanner.Result) {
	n := 0
	for _, ce := range r.CheckErrors {
		if ce.Accepted || ce.Weight() < g.failOn {
			continue
		}
		n++
	}
	if n > 0 {
		g.undecided += n
		g.undecidedOn++
	}
}
