package report

import (
	"slices"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// AtLeast returns r with only the findings at or above min, and how many
// it left out: what --min-severity puts in the report. r itself is not
// changed.
func AtLeast(r *scanner.Result, min scanner.Severity) (*scanner.Result, int) {
	kept := slices.DeleteFunc(slices.Clone(r.Findings), func(f scanner.Finding) bool { return f.Severity < min })
	if len(kept) == len(r.Findings) {
		return r, 0
	}
	out := *r
	out.Findings = kept
	return &out, len(r.Findings) - len(kept)
}
