// Package report writes scan results: a table, Markdown, HTML and CSV for
// people, JSON and JSON Lines for programs, SARIF for code-scanning
// dashboards, OpenMetrics for Prometheus. Writers receive results one at a time, so the
// streaming formats hold only what they must.
package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// A Writer writes one report.
type Writer interface {
	// Write adds one result.
	Write(r *scanner.Result) error
	// Close finishes the report with the scan's summary.
	Close(s *Summary) error
}

// Meta describes the scan a report is about.
type Meta struct {
	Tool    string
	Version string
	Started time.Time
	// TargetsFile is the targets file scanned, if any.
	TargetsFile string
	// Shard is the part of the targets scanned ("2/8"), if not all.
	Shard string
	// SourceTree is the app source tree read (scan --discover), if any.
	SourceTree string
	// Checks are the checks the scan ran (for rule lists and help).
	Checks []*scanner.Check

	// SourceRoot is the directory SARIF paths are relative to (the
	// repository root); "" means the working directory.
	SourceRoot string
	// ArgumentsURI is the stand-in SARIF artifact for targets that come
	// from no file (command-line arguments, the demo lab); default
	// DefaultArgumentsURI.
	ArgumentsURI string
}

// Options tune the human-readable formats.
type Options struct {
	// Color enables ANSI colours in the table (only on a terminal, and
	// never when NO_COLOR is set: the caller decides).
	Color bool
	// MinSeverity, when above info, says the results have had findings
	// below it removed (--min-severity), so the table does not call a
	// target with only such findings clean.
	MinSeverity scanner.Severity
	// Width is the table's width in columns (0: DefaultWidth); no line
	// is wider.
	Width int
	// Verbose adds to the table the facts that are not findings
	// (protocols, suites, chain, HTTP), which every target's JSON has.
	Verbose bool
}

// A format is one report format: its name (--format) and its writer.
type format struct {
	name string
	new  func(w io.Writer, meta Meta, opts Options) Writer
	// unordered formats take results as they complete; the others in
	// input order (the scanner then holds early finishers back).
	unordered bool
}

// formats is every report format, in the order help lists them. A new
// format is a writer in a file of its own and one line here.
var formats = []format{
	{name: "table", new: func(w io.Writer, meta Meta, opts Options) Writer { return newTable(w, meta, opts) }}, // escapes every cell (table.go)
	{name: "json", new: func(w io.Writer, meta Meta, _ Options) Writer { return newJSON(textsafe.NewJSONWriter(w), meta) }},
	{name: "jsonl", new: func(w io.Writer, meta Meta, _ Options) Writer { return newJSONL(textsafe.NewJSONWriter(w), meta) }, unordered: true},
	{name: "sarif", new: func(w io.Writer, meta Meta, _ Options) Writer { return newSARIF(textsafe.NewJSONWriter(w), meta) }},
	{name: "markdown", new: func(w io.Writer, meta Meta, opts Options) Writer { return newMarkdown(w, meta, opts) }}, // escapes every string (markdown.go)
	{name: "html", new: func(w io.Writer, meta Meta, opts Options) Writer { return newHTML(w, meta, opts) }},         // html/template (html.go)
	{name: "csv", new: func(w io.Writer, meta Meta, opts Options) Writer { return newCSV(w, meta, opts) }},
	{name: "openmetrics", new: func(w io.Writer, meta Meta, opts Options) Writer { return newOpenMetrics(w, meta, opts) }},
}

// Formats lists the formats New accepts.
var Formats = func() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return names
}()

// New returns a writer of the named format. Every string a writer prints
// came from outside (a server, a targets file, a merged report), so each
// format escapes it where it writes: the table cell by cell, the JSON
// formats (and SARIF) by writing every unprintable character as a \u
// escape, which JSON readers decode back to the same string.
func New(name string, w io.Writer, meta Meta, opts Options) (Writer, error) {
	for _, f := range formats {
		if f.name == name {
			return f.new(w, meta, opts), nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", name, strings.Join(Formats, ", "))
}

// Ordered reports whether the format wants results in input order (the
// scanner then holds early finishers back) rather than as they complete.
func Ordered(name string) bool {
	for _, f := range formats {
		if f.name == name {
			return !f.unordered
		}
	}
	return true
}

// Summary counts what a scan found.
type Summary struct {
	// Results is the number of results (targets, or target addresses).
	Results int `json:"results"`
	// SourceTrees counts results about an app's source tree (code
	// findings) rather than an endpoint; they are not in Scanned.
	SourceTrees int `json:"source_trees,omitempty"`
	// Scanned results completed a handshake; Errors did not.
	Scanned int `json:"scanned"`
	Errors  int `json:"errors"`
	// ErrorKinds counts errors by kind.
	ErrorKinds map[netx.ErrorKind]int `json:"error_kinds,omitempty"`
	// Findings counts findings by severity; every severity is present.
	Findings    map[string]int `json:"findings"`
	CheckErrors int            `json:"check_errors"`
	// Accepted counts the findings (among Findings) covered by an accepted
	// risk still in force; AcceptanceExpired those whose acceptance has
	// run out and which count again.
	Accepted          int `json:"accepted"`
	AcceptanceExpired int `json:"acceptance_expired"`
	// BaselineKnown counts findings left out because the --baseline report
	// already had them; they are not in Findings.
	BaselineKnown int `json:"baseline_known,omitempty"`
	// BelowMinSeverity counts findings (among Findings) left out of the
	// report by --min-severity.
	BelowMinSeverity int       `json:"below_min_severity,omitempty"`
	Finished         time.Time `json:"-"`
	// Verdict is the gate's, when a gate ran; the formats people read
	// show it.
	Verdict *Verdict `json:"-"`
}

// NewSummary returns an empty summary.
func NewSummary() *Summary {
	s := &Summary{Findings: map[string]int{}}
	for _, sev := range scanner.Severities {
		s.Findings[sev.String()] = 0
	}
	return s
}

// Add counts one result.
func (s *Summary) Add(r *scanner.Result) {
	s.Results++
	if r.Target != nil && r.Target.SourceTree != "" {
		s.SourceTrees++
	} else if r.Err != nil {
		s.Errors++
		if s.ErrorKinds == nil {
			s.ErrorKinds = map[netx.ErrorKind]int{}
		}
		s.ErrorKinds[r.Err.Kind]++
	} else {
		s.Scanned++
	}
	for _, f := range r.Findings {
		s.Findings[f.Severity.String()]++
		switch {
		case f.Accepted():
			s.Accepted++
		case f.AcceptanceExpired:
			s.AcceptanceExpired++
		}
	}
	s.CheckErrors += len(r.CheckErrors)
}

// Line is the one-line summary printed under a table and to standard error.
func (s *Summary) Line() string {
	var parts []string
	for _, sev := range scanner.Severities {
		if n := s.Findings[sev.String()]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	findings := "no findings"
	if len(parts) > 0 {
		findings = "findings: " + strings.Join(parts, ", ")
	}
	line := fmt.Sprintf("%d scanned, %d unreachable or failed; %s", s.Scanned, s.Errors, findings)
	if s.SourceTrees > 0 {
		line = fmt.Sprintf("%d source %s read, %s", s.SourceTrees, words.Plural(s.SourceTrees, "tree", "trees"), line)
	}
	if len(s.ErrorKinds) > 0 {
		kinds := make([]string, 0, len(s.ErrorKinds))
		for k, n := range s.ErrorKinds {
			// Kinds come from reports too (merge): escaped.
			kinds = append(kinds, fmt.Sprintf("%d %s", n, textsafe.Escape(string(k))))
		}
		slices.Sort(kinds)
		line += " (errors: " + strings.Join(kinds, ", ") + ")"
	}
	if s.Accepted > 0 {
		line += fmt.Sprintf("; %d accepted", s.Accepted)
	}
	if s.AcceptanceExpired > 0 {
		line += fmt.Sprintf("; %d %s expired", s.AcceptanceExpired, words.Plural(s.AcceptanceExpired, "acceptance", "acceptances"))
	}
	if s.CheckErrors > 0 {
		line += fmt.Sprintf("; %d %s could not decide", s.CheckErrors, words.Plural(s.CheckErrors, "check", "checks"))
	}
	if s.BelowMinSeverity > 0 {
		line += fmt.Sprintf("; %d below --min-severity not shown", s.BelowMinSeverity)
	}
	return line
}
