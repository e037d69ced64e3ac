package checks

import (
	"errors"
	"maps"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// The vulnerability checks each read one probe's outcome
// (scanner/vuln): vulnerable becomes a finding, undecided a check error
// (which the gate weighs like any check that could not decide), and not
// vulnerable or not tested (the precondition absent) stay silent; the
// JSON report keeps the four apart.

// cve is the CVE record's address, the reference form every check uses.
func cve(id string) string { return "https://www.cve.org/CVERecord?id=" + id }

// vulnCheck builds a check from the probe outcome pick selects. message
// is the finding's one sentence (no final period).
func vulnCheck(c scanner.Check, pick func(*vuln.Observation) vuln.Outcome, message func(vuln.Outcome) string) *scanner.Check {
	c.Needs = scanner.NeedEnumeration | scanner.NeedVulnerabilities
	c.Run = func(p *scanner.Pass) error {
		o := pick(p.Result.Vuln)
		switch o.Status {
		case vuln.Vulnerable:
			p.Report(scanner.Finding{Message: message(o), Evidence: maps.Clone(o.Evidence)})
		case vuln.Undecided:
			return errors.New(o.Detail)
		}
		return nil
	}
	return &c
}
