package cli

import (
	"fmt"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/grade"
)

// gradeGate is --fail-on-grade: exit 1 when a target's grade is worse
// than the limit (T and M are worse than F: a verifying client cannot
// connect at all). It works whatever --fail-on says, so a fleet can gate
// on grades alone (--fail-on none --fail-on-grade B). A target that could
// not be graded fails it too unless --errors-fail=false: a server must
// not pass by making the grade impossible.
type gradeGate struct {
	limit      string // "" when off
	errorsFail bool
	worse      []string // "name: letter", in the order seen
	ungraded   int
}

// parseFailOnGrade reads --fail-on-grade: a letter, any case; "" is off.
func parseFailOnGrade(s string) (string, error) {
	if s == "" || strings.EqualFold(s, "none") {
		return "", nil
	}
	letter := strings.ToUpper(s)
	if !grade.Valid(letter) {
		return "", usageErr("--fail-on-grade: %q is not a grade (A+, A, A-, B, C, D, E, F, M, T or none)", s)
	}
	return letter, nil
}

func (g *gradeGate) add(r *scanner.Result) {
	if g.limit == "" || r.Target.SourceTree != "" {
		return
	}
	switch gr := r.Grade; {
	case gr == nil || gr.Letter == "":
		g.ungraded++
	case grade.Worse(gr.Letter, g.limit):
		g.worse = append(g.worse, textsafe.Escape(r.Target.Label())+": "+gr.Letter)
	}
}

func (g *gradeGate) failed() bool {
	return g.limit != "" && (len(g.worse) > 0 || (g.errorsFail && g.ungraded > 0))
}

// maxGradeLines bounds how many targets the reason names one by one.
const maxGradeLines = 10

func (g *gradeGate) reasons() []string {
	if g.limit == "" {
		return nil
	}
	var out []string
	if n := len(g.worse); n > 0 {
		named := g.worse[:min(n, maxGradeLines)]
		line := fmt.Sprintf("%d %s graded worse than --fail-on-grade %s: %s", n, words.Plural(n, "target", "targets"), g.limit, strings.Join(named, ", "))
		if n > len(named) {
			line += fmt.Sprintf(" and %d more", n-len(named))
		}
		out = append(out, line)
	}
	if g.errorsFail && g.ungraded > 0 {
		out = append(out, fmt.Sprintf("%d %s could not be graded for --fail-on-grade %s (--errors-fail=false to allow)", g.ungraded, words.Plural(g.ungraded, "target", "targets"), g.limit))
	}
	return out
}
