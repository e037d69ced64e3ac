package checks

import (
	"fmt"
	"strings"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// HSTSMalformed reports a Strict-Transport-Security header that browsers
// must ignore (RFC 6797 §6.1): bad syntax (commas for semicolons, a quoted
// directive name, an unterminated quote), max-age missing or not a number,
// a directive given twice, or a value on includeSubDomains or preload.
// Parsing is internal/hsts.Parse.
var HSTSMalformed = &scanner.Check{
	ID:       "hsts-malformed",
	Title:    "Strict-Transport-Security header is malformed",
	Severity: scanner.Medium,
	Description: "The host sends a Strict-Transport-Security header that does not follow the " +
		"RFC 6797 grammar, lacks the required max-age, or repeats a directive. Browsers must " +
		"ignore such a header entirely, so the host has no HSTS although its configuration " +
		"appears to set it. Only the first header field counts when several are sent.",
	Remediation: "Send exactly one header of the form `Strict-Transport-Security: " +
		"max-age=31536000; includeSubDomains`: directives separated by semicolons, max-age a " +
		"plain number of seconds, each directive once, includeSubDomains and preload without " +
		"values.",
	References: hstsRefs,
	CWE:        523,
	Needs:      scanner.NeedHTTP,
	Run: func(p *scanner.Pass) error {
		hp, err := httpsProbe(p)
		if hp == nil || hp.HSTS == nil || hp.HSTS.Valid {
			return err
		}
		ev := hstsEvidence(hp)
		ev["problems"] = strings.Join(hp.HSTS.Problems, "; ")
		p.Report(scanner.Finding{
			Message:  fmt.Sprintf("browsers ignore the Strict-Transport-Security header %q from %s: %s", hp.HSTS.Raw, hp.URL, hp.HSTS.Problems[0]),
			Evidence: ev,
		})
		return nil
	},
}
