package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/report"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// reportSetup is what scan and merge resolve from reportFlags before any
// work is done: the format and thresholds, checked, and the report files
// opened (atomically), so a bad flag or an unwritable path fails before a
// long scan rather than after it. It then carries what both do with each
// result (add: summary, gate, --min-severity, every report) and at the end
// (finish: close, commit, summary line; gate.verdict).
type reportSetup struct {
	format      string
	failOn      scanner.Severity // 0: the gate never fails
	minSeverity scanner.Severity
	// out receives the --format report: the -o file, or standard output.
	out   io.Writer
	color bool
	// width and verbose lay out the table (see tableWidth).
	width   int
	verbose bool
	// sarif receives the --sarif side report, or is nil.
	sarif io.Writer
	files []*atomicFile

	// writers are the reports (see open); sum and gate see every result
	// (see add).
	writers []reportWriter
	sum     *report.Summary
	gate    *gate
}

// reportWriter is one report being written.
type reportWriter struct {
	report.WireWriter
	// sarif is set for a SARIF report, which a --baseline never filters:
	// code scanning tells new alerts from known ones itself, and a known
	// finding left out of an upload would close its alert.
	sarif bool
}

func (f *reportFlags) setup(env *environment) (*reportSetup, error) {
	rs := &reportSetup{out: env.stdout, sum: report.NewSummary()}
	var err error
	if rs.failOn, err = parseFailOn(f.failOn); err != nil {
		return nil, err
	}
	if rs.minSeverity, err = scanner.ParseSeverity(f.minSeverity); err != nil {
		return nil, usageErr("--min-severity: %v", err)
	}
	rs.format = f.format
	if rs.format == "" {
		rs.format = "json"
		if f.output == "" && isTerminal(env.stdout) {
			rs.format = "table"
		}
	}
	rs.gate = &gate{failOn: rs.failOn, errorsFail: f.errorsFail, minSeverity: rs.minSeverity}
	if rs.gate.grades.limit, err = parseFailOnGrade(f.failOnGrade); err != nil {
		return nil, err
	}
	rs.gate.grades.errorsFail = f.errorsFail
	if !slices.Contains(report.Formats, rs.format) {
		return nil, usageErr("--format must be one of %s, not %q", strings.Join(report.Formats, ", "), rs.format)
	}
	if f.sarif != "" && f.output != "" && sameFile(f.sarif, f.output) {
		return nil, usageErr("--sarif and -o name the same file %s", f.output)
	}
	if f.sarifRoot != "" {
		if st, err := os.Stat(f.sarifRoot); err != nil || !st.IsDir() {
			return nil, usageErr("--sarif-root %s is not a directory", f.sarifRoot)
		}
	}
	if f.output != "" {
		file, err := env.outputs.create(f.output)
		if err != nil {
			return nil, err
		}
		rs.files = append(rs.files, file)
		rs.out = file
	}
	if f.width < 0 {
		return nil, usageErr("--width must be a number of columns, not %d", f.width)
	}
	rs.width, rs.verbose = tableWidth(f.width, rs.out), f.verbose
	if rs.color, err = useColor(f.color, rs.out); err != nil {
		rs.abort()
		return nil, err
	}
	if f.sarif != "" {
		file, err := env.outputs.create(f.sarif)
		if err != nil {
			rs.abort()
			return nil, err
		}
		rs.files = append(rs.files, file)
		rs.sarif = file
	}
	return rs, nil
}

// open starts the --format report and the --sarif side report, if any,
// for the scan meta describes.
func (rs *reportSetup) open(meta report.Meta) error {
	for _, out := range []struct {
		format string
		w      io.Writer
		opts   report.Options
	}{{rs.format, rs.out, report.Options{Color: rs.color, MinSeverity: rs.minSeverity, Width: rs.width, Verbose: rs.verbose}}, {"sarif", rs.sarif, report.Options{}}} {
		if out.w == nil {
			continue
		}
		w, err := report.New(out.format, out.w, meta, out.opts)
		if err != nil {
			return usageErr("%v", err)
		}
		ww, ok := w.(report.WireWriter)
		if !ok {
			return usageErr("cannot write --format %s from reports", out.format)
		}
		rs.writers = append(rs.writers, reportWriter{ww, out.format == "sarif"})
	}
	return nil
}

// add counts r in the summary and the gate, which see every finding (the
// --min-severity ones too), and writes it to every report without the
// findings below --min-severity. full, when not r, is the result before
// the --baseline filter: SARIF reports get it instead.
func (rs *reportSetup) add(r, full *scanner.Result) error {
	rs.count(r)
	shown, hidden := report.AtLeast(r, rs.minSeverity)
	rs.sum.BelowMinSeverity += hidden
	for _, w := range rs.writers {
		out := shown
		if w.sarif && full != r {
			out, _ = report.AtLeast(full, rs.minSeverity)
		}
		if err := w.Write(out); err != nil {
			return err
		}
	}
	return nil
}

// addJSON is add for a result read back from a report, which is written
// in its wire form: observations FromJSON does not rebuild stay in it.
func (rs *reportSetup) addJSON(r report.ResultJSON) error {
	rs.count(report.FromJSON(r))
	shown, hidden := report.AtLeastJSON(r, rs.minSeverity)
	rs.sum.BelowMinSeverity += hidden
	for _, w := range rs.writers {
		if err := w.WriteJSON(shown); err != nil {
			return err
		}
	}
	return nil
}

func (rs *reportSetup) count(r *scanner.Result) {
	rs.sum.Add(r)
	rs.gate.add(r)
}

// finish closes every report with the summary, as of finished, puts the
// files in place and prints the summary line (after what, such as
// "merged 3 reports: ") unless the table on standard output ends with it.
func (rs *reportSetup) finish(env *environment, finished time.Time, what string) error {
	rs.sum.Finished = finished
	rs.sum.Verdict = rs.gate.summary()
	for _, w := range rs.writers {
		if err := w.Close(rs.sum); err != nil {
			return failure(fmt.Errorf("write report: %w", err))
		}
		if n, ok := w.WireWriter.(report.Noticer); ok {
			for _, msg := range n.Notices() {
				env.logf("%s", msg)
			}
		}
	}
	if err := rs.commit(); err != nil {
		return err
	}
	if rs.summaryToStderr(env) {
		env.logf("%s%s", what, rs.sum.Line())
	}
	return nil
}

// abort discards report files not yet committed.
func (rs *reportSetup) abort() {
	for _, file := range rs.files {
		file.Abort() // no-op after Commit
	}
}

// commit puts every report file in place.
func (rs *reportSetup) commit() error {
	for _, file := range rs.files {
		if err := file.Commit(); err != nil {
			return failure(err)
		}
	}
	return nil
}

// summaryToStderr says whether the summary line goes to standard error:
// always, except when the table on standard output already ends with it.
func (rs *reportSetup) summaryToStderr(env *environment) bool {
	return rs.format != "table" || rs.out != env.stdout
}

// summary is the verdict the formats people read show.
func (g *gate) summary() *report.Verdict {
	v := &report.Verdict{FailOn: "none", Failed: g.failed()}
	if g.failOn != 0 {
		v.FailOn = g.failOn.String()
	}
	if v.Failed {
		v.Reasons = g.reasons()
		// Name what failed it first, so the summary shows where to look.
		var first []string
		if g.worst != "" {
			first = append(first, "worst finding: "+g.worst)
		}
		if g.errorsFail && g.firstError != "" {
			first = append(first, "first target not scanned: "+g.firstError)
		}
		v.Reasons = append(first, v.Reasons...)
	}
	return v
}

// verdict prints why the gate failed, if it did, and returns the exit.
func (g *gate) verdict(env *environment) error {
	if !g.failed() {
		return nil
	}
	for _, line := range g.reasons() {
		env.logf("gate failed: %s", line)
	}
	return exitCode(ExitFindings)
}
