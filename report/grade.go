package report

import (
	"fmt"

	"github.com/tlsaudit/tlsaudit/scanner/grade"
)

// GradeJSON is a target's SSL Labs-style letter (docs/grading.md).
type GradeJSON struct {
	// Letter is A+, A, B, C, D, E, F, T (trust) or M (name mismatch);
	// empty when the target could not be graded (Ungraded says why).
	Letter string `json:"letter"`
	// IgnoringTrust is the letter if trust and name issues were ignored,
	// when Letter is T or M.
	IgnoringTrust string   `json:"ignoring_trust,omitempty"`
	Score         int      `json:"score"`
	Reasons       []string `json:"reasons,omitempty"`
	Ungraded      string   `json:"ungraded,omitempty"`
}

func gradeJSON(g *grade.Grade) *GradeJSON {
	if g == nil {
		return nil
	}
	return &GradeJSON{Letter: g.Letter, IgnoringTrust: g.IgnoringTrust, Score: g.Score, Reasons: g.Reasons, Ungraded: g.Ungraded}
}

func gradeFromJSON(g *GradeJSON) *grade.Grade {
	if g == nil {
		return nil
	}
	return &grade.Grade{Letter: g.Letter, IgnoringTrust: g.IgnoringTrust, Score: g.Score, Reasons: g.Reasons, Ungraded: g.Ungraded}
}

// gradeLine is the table's grade row: the letter and the worst reason.
func gradeLine(g *GradeJSON) string {
	if g.Letter == "" {
		return "not graded: " + g.Ungraded
	}
	line := g.Letter
	if g.IgnoringTrust != "" {
		line += " (" + g.IgnoringTrust + " if trust issues are ignored)"
	}
	switch n := len(g.Reasons); {
	case n == 1:
		line += ": " + g.Reasons[0]
	case n > 1:
		line += fmt.Sprintf(": %s (and %d more in the JSON report)", g.Reasons[0], n-1)
	}
	return line
}
