package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/report"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// reportSetup is what scan and merge resolve from reportFlags before any
// work is done: the format and thresholds, checked, and the report files
// opened (atomically), so a bad flag or an unwritable path fails before a
// long scan rather than after it.
type reportSetup struct {
	format      string
	failOn      scanner.Severity // 0: the gate never fails
	minSeverity scanner.Severity
	// out receives the --format report: the -o file, or standard output.
	out   io.Writer
	color bool
	// sarif receives the --sarif side report, or is nil.
	sarif io.Writer
	files []*atomicFile
}

func (f *reportFlags) setup(env *environment) (*reportSetup, error) {
	rs := &reportSetup{out: env.stdout}
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
		file, err := createAtomic(f.output)
		if err != nil {
			return nil, err
		}
		rs.files = append(rs.files, file)
		rs.out = file
	}
	if rs.color, err = useColor(f.color, rs.out); err != nil {
		rs.abort()
		return nil, err
	}
	if f.sarif != "" {
		file, err := createAtomic(f.sarif)
		if err != nil {
			rs.abort()
			return nil, err
		}
		rs.files = append(rs.files, file)
		rs.sarif = file
	}
	return rs, nil
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

// verdict prints why the gate failed, if it did, and returns the exit.
func (g *gate) verdict(env *environment) error {
	if !g.failed() {
		return nil
	}
	for _, line := range g.reasons() {
		fmt.Fprintf(env.stderr, "tlsaudit: gate failed: %s\n", line)
	}
	return exitCode(ExitFindings)
}
