package lab

import (
	"fmt"
	"slices"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// Mismatch compares a scan result with what ep is built to produce and
// describes the difference, or returns "" when they agree: the error kind
// for unscannable endpoints, and exactly the Want checks, no more, no
// fewer (an unscannable endpoint may still have findings, such as plain
// HTTP on its TLS port), and exactly the WantUndecided checks undecided.
func Mismatch(ep *Endpoint, r *scanner.Result) string {
	if r == nil {
		return "no result"
	}
	// An endpoint can want an error and findings both: a server no client
	// library completes a handshake with (NULL- or anonymous-only) is
	// still enumerated and graded.
	if ep.WantError != "" {
		if r.Err == nil || r.Err.Kind != ep.WantError {
			return fmt.Sprintf("error %v, want kind %s", r.Err, ep.WantError)
		}
	} else if r.Err != nil {
		return fmt.Sprintf("scan error %v", r.Err)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.CheckID)
	}
	got = sortedSet(got)
	want := sortedSet(ep.Want)
	if !slices.Equal(got, want) {
		return fmt.Sprintf("fired %v, want %v", got, want)
	}
	var undecided []string
	for _, ce := range r.CheckErrors {
		undecided = append(undecided, ce.CheckID)
	}
	if !slices.Equal(sortedSet(undecided), sortedSet(ep.WantUndecided)) {
		return fmt.Sprintf("checks could not decide: %v, want undecided %v", r.CheckErrors, sortedSet(ep.WantUndecided))
	}
	return ""
}

func sortedSet(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
