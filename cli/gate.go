package cli

import (
	"fmt"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// gate decides exit code 1: a finding at or above --fail-on that no
// accepted risk in force covers, or (with --errors-fail) a target that
// could not be scanned or a check at or above --fail-on that could not
// decide. --fail-on none turns all of them off.
//
// It counts every finding, including those --min-severity leaves out of
// the report (so a report trimmed for reading never hides why a build
// failed), but not those a --baseline report already had: adopting the
// gate on a fleet with a backlog means failing on what is new. Whether a
// finding is accepted was decided once by the scanner (Finding.Accepted),
// so the gate and every report agree.
type gate struct {
	failOn      scanner.Severity // 0 never fails
	errorsFail  bool
	minSeverity scanner.Severity

	failing int // findings that fail the gate
	hidden  int // of which below --min-severity, so not in the report
	errors  int // targets that could not be scanned
	// undecided counts checks at or above --fail-on that could not
	// decide, on undecidedOn results: "could not decide" is never a
	// silent pass (a hostile server must not pass by making checks fail).
	undecided, undecidedOn int
	expired                []string

	// worst is the most severe failing finding (the first of its
	// severity) and firstError the first target that could not be
	// scanned: the summaries of the reports name them.
	worst      string
	worstSev   scanner.Severity
	firstError string

	grades gradeGate
}

// maxExpiredLines bounds how many expired acceptances are listed one by
// one; a fleet-wide lapse still reads as one screen.
const maxExpiredLines = 10

func (g *gate) add(r *scanner.Result) {
	g.grades.add(r)
	if r.Err != nil {
		g.errors++
		if g.firstError == "" {
			g.firstError = fmt.Sprintf("%s (%s)", textsafe.Escape(r.Target.Label()), textsafe.Escape(string(r.Err.Kind)))
		}
	}
	if g.failOn == 0 {
		return
	}
	g.addUndecided(r)
	for _, f := range r.Findings {
		if f.Severity < g.failOn || f.Accepted() {
			continue
		}
		g.failing++
		if f.Severity > g.worstSev {
			g.worstSev = f.Severity
			g.worst = fmt.Sprintf("%s %s on %s", f.Severity, textsafe.Escape(f.CheckID), textsafe.Escape(r.Target.Label()))
		}
		if f.Severity < g.minSeverity {
			g.hidden++
		}
		if f.AcceptanceExpired {
			a := f.Acceptance
			where := ""
			if !a.Source.IsZero() {
				where = " (" + a.Source.String() + ")"
			}
			g.expired = append(g.expired, fmt.Sprintf("the accepted risk for %s on %s ran out on %s%s: %s; it fails the gate again",
				f.CheckID, textsafe.Escape(r.Target.Label()), a.Until.Format(time.DateOnly), where, textsafe.Escape(a.Reason)))
		}
	}
}

func (g *gate) failed() bool {
	return g.failOn != 0 && (g.failing > 0 || (g.errorsFail && (g.errors > 0 || g.undecided > 0))) || g.grades.failed()
}

// reasons says why the gate failed, one line each.
func (g *gate) reasons() []string {
	var out []string
	if g.failing > 0 {
		line := fmt.Sprintf("%d %s at or above --fail-on %s", g.failing, words.Plural(g.failing, "finding", "findings"), g.failOn)
		if g.hidden > 0 {
			line += fmt.Sprintf(" (%d below --min-severity %s, so not in the report)", g.hidden, g.minSeverity)
		}
		out = append(out, line)
	}
	for i, e := range g.expired {
		if i == maxExpiredLines {
			n := len(g.expired) - i
			out = append(out, fmt.Sprintf("and %d more expired accepted %s", n, words.Plural(n, "risk", "risks")))
			break
		}
		out = append(out, e)
	}
	if g.errorsFail && g.errors > 0 {
		out = append(out, fmt.Sprintf("%d %s could not be scanned (--errors-fail=false to allow)", g.errors, words.Plural(g.errors, "target", "targets")))
	}
	if g.errorsFail && g.undecided > 0 {
		out = append(out, fmt.Sprintf("%d %s at or above --fail-on %s could not decide on %d %s (--errors-fail=false to allow)",
			g.undecided, words.Plural(g.undecided, "check", "checks"), g.failOn, g.undecidedOn, words.Plural(g.undecidedOn, "target", "targets")))
	}
	return append(out, g.grades.reasons()...)
}
