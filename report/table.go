package report

import (
	"crypto/tls"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// tableWriter renders the report for a terminal: a summary first (what
// was scanned, findings per severity, the gate's verdict and why), then
// the findings worst first, grouped by target, every line at most
// Options.Width columns wide (long messages wrap, then end in an
// ellipsis; the JSON report has them whole). Facts that are not findings
// (protocols, suites, chain, HTTP) are shown only with Options.Verbose.
//
// Every string is escaped (textsafe.Escape) as it is laid out, not field
// by field as items are built: nearly everything in the table came from
// outside (a certificate subject, a server's error text, a report read
// back by merge), so no field can be forgotten. Colour is the one thing
// added after escaping and measuring.
type tableWriter struct {
	collector
	w io.Writer
}

func newTable(w io.Writer, meta Meta, opts Options) *tableWriter {
	return &tableWriter{collector: newCollector(meta, opts), w: w}
}

// DefaultWidth is the table's width when nothing says otherwise (not a
// terminal, no COLUMNS, no --width).
const DefaultWidth = 100

// MinWidth is the narrowest table laid out; narrower asks get this.
const MinWidth = 20

const (
	// maxMessageLines bounds one finding's wrapped message; the last line
	// then ends in an ellipsis.
	maxMessageLines = 6
	// maxCleanLines bounds the list of targets without findings.
	maxCleanLines = 3
	labelWidth    = len("UNDECIDED")
	indent        = "  "
)

// WriteJSON keeps what the table shows of r: without --verbose, its
// findings and errors only (see slim).
func (t *tableWriter) WriteJSON(r ResultJSON) error {
	if !t.opts.Verbose {
		r = slim(r)
	}
	return t.collector.WriteJSON(r)
}

func (t *tableWriter) Write(r *scanner.Result) error { return t.WriteJSON(ToJSON(r, t.titles)) }

func (t *tableWriter) width() int {
	if t.opts.Width <= 0 {
		return DefaultWidth
	}
	return max(t.opts.Width, MinWidth)
}

func (t *tableWriter) Close(s *Summary) error {
	ew := &errWriter{w: t.w}
	width := t.width()
	for _, line := range t.summaryLines(s, width) {
		ew.WriteString(line + "\n")
	}
	targets := view(t.results)
	cols := t.columns(targets, width)
	var clean []string
	for _, tv := range targets {
		facts := tv.Facts()
		if len(tv.Items) == 0 && !t.opts.Verbose {
			clean = append(clean, textsafe.Escape(tv.R.Name)+" ("+textsafe.Escape(tv.Where())+")")
			continue
		}
		ew.WriteString("\n")
		ew.WriteString(ellipsize(textsafe.Escape(tv.Heading()), width) + "\n")
		for _, it := range tv.Items {
			color := severityColor(it)
			for _, line := range cols.lines(it.Label(), color, it.Check, it.Message, t) {
				ew.WriteString(line + "\n")
			}
		}
		if len(tv.Items) == 0 {
			for _, line := range cols.lines("ok", colorOK, "", t.noFindings(), t) {
				ew.WriteString(line + "\n")
			}
		}
		if t.opts.Verbose {
			for _, f := range facts {
				for _, line := range cols.lines("", "", f.Name, f.Value, t) {
					ew.WriteString(line + "\n")
				}
			}
		}
	}
	if len(clean) > 0 {
		ew.WriteString("\n")
		label := textsafe.Escape(t.noFindings()) + ": "
		for _, line := range limit(wrap(label+strings.Join(clean, ", "), width), maxCleanLines, width) {
			ew.WriteString(line + "\n")
		}
	}
	return ew.err
}

func (t *tableWriter) noFindings() string {
	if t.opts.MinSeverity > scanner.Info {
		return "no findings at or above " + t.opts.MinSeverity.String()
	}
	return "no findings"
}

// summaryLines are the report's head: counts, then the gate.
func (t *tableWriter) summaryLines(s *Summary, width int) []string {
	rows := []fact{{"Targets", targetsLine(s) + errorKinds(s)}, {"Findings", findingsLine(s)}}
	if v := verdictLine(s.Verdict); v != "" {
		rows = append(rows, fact{"Gate", v})
	}
	const w = len("Findings  ")
	var out []string
	for _, r := range rows {
		for i, line := range wrap(textsafe.Escape(r.Value), width-w) {
			head := strings.Repeat(" ", w)
			if i == 0 {
				head = r.Name + head[len(r.Name):]
				if r.Name == "Gate" && s.Verdict.Failed {
					line = strings.Replace(line, "FAILED", t.paint("FAILED", colorCritical), 1)
				}
			}
			out = append(out, head+line)
		}
	}
	return out
}

// errorKinds is " (1 dns, 2 connect-timeout)", or "".
func errorKinds(s *Summary) string {
	if len(s.ErrorKinds) == 0 {
		return ""
	}
	kinds := make([]string, 0, len(s.ErrorKinds))
	for k, n := range s.ErrorKinds {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
	}
	slices.Sort(kinds)
	return " (" + strings.Join(kinds, ", ") + ")"
}

// columns is the layout of item lines: severity, check, message. When the
// message column would be too narrow to read, the message goes on lines
// of its own under the severity and check (stacked).
type columns struct {
	width, check, message int
	stacked               bool
}

func (t *tableWriter) columns(targets []targetView, width int) columns {
	longest := 0
	for _, tv := range targets {
		for _, it := range tv.Items {
			longest = max(longest, runewidth.StringWidth(textsafe.Escape(it.Check)))
		}
		if t.opts.Verbose {
			for _, f := range tv.Facts() {
				longest = max(longest, runewidth.StringWidth(f.Name))
			}
		}
	}
	c := columns{width: width}
	fixed := len(indent) + labelWidth + 2
	c.check = min(longest, max(10, (width-fixed-2)/3))
	c.message = width - fixed - c.check - 2
	if c.message < 24 {
		c.stacked = true
		c.message = width - 2*len(indent)
	}
	return c
}

// lines lays out one item: label (painted after measuring), check,
// message wrapped.
func (c columns) lines(label, color, check, message string, t *tableWriter) []string {
	label, check, message = textsafe.Escape(label), textsafe.Escape(check), textsafe.Escape(message)
	pad := func(s string, w int) string { return s + strings.Repeat(" ", max(0, w-runewidth.StringWidth(s))) }
	head := indent + t.paint(label, color) + strings.Repeat(" ", labelWidth-len(label)+2)
	if c.stacked {
		out := []string{strings.TrimRight(head+ellipsize(check, c.width-len(indent)-labelWidth-2), " ")}
		for _, l := range limit(wrap(message, c.message), maxMessageLines, c.message) {
			out = append(out, indent+indent+l)
		}
		return out
	}
	cont := strings.Repeat(" ", len(indent)+labelWidth+2+c.check+2)
	msg := limit(wrap(message, c.message), maxMessageLines, c.message)
	var out []string
	if runewidth.StringWidth(check) > c.check {
		// A check ID is never cut short: a long one gets its own line.
		out = append(out, head+ellipsize(check, c.width-len(indent)-labelWidth-2))
		head = cont
	} else {
		head += pad(check, c.check) + "  "
	}
	out = append(out, strings.TrimRight(head+msg[0], " "))
	for _, l := range msg[1:] {
		out = append(out, cont+l)
	}
	return out
}

// limit keeps at most n lines, the last ending in an ellipsis when some
// were dropped.
func limit(lines []string, n, width int) []string {
	if len(lines) <= n {
		return lines
	}
	lines = lines[:n]
	last := lines[n-1]
	if runewidth.StringWidth(last)+1 > width {
		last = runewidth.Truncate(last, width-1, "")
	}
	lines[n-1] = last + "…"
	return lines
}

// wrap breaks s into lines of at most width columns at spaces, breaking
// words longer than a line. There is always one line.
func wrap(s string, width int) []string {
	width = max(width, 1)
	var out []string
	line, lw := "", 0
	for _, word := range strings.Fields(s) {
		ww := runewidth.StringWidth(word)
		if lw > 0 && lw+1+ww <= width {
			line, lw = line+" "+word, lw+1+ww
			continue
		}
		if lw > 0 {
			out = append(out, line)
		}
		for ww > width {
			head := runewidth.Truncate(word, width, "")
			if head == "" { // one character wider than the line
				_, size := utf8.DecodeRuneInString(word)
				head = word[:size]
			}
			out = append(out, head)
			word = word[len(head):]
			ww = runewidth.StringWidth(word)
		}
		line, lw = word, ww
	}
	return append(out, line)
}

// ellipsize shortens s to width columns, ending in "…" when cut.
func ellipsize(s string, width int) string {
	if runewidth.StringWidth(s) <= width {
		return s
	}
	return runewidth.Truncate(s, width, "…")
}

const (
	colorCritical = "1;31"
	colorHigh     = "31"
	colorMedium   = "33"
	colorLow      = "36"
	colorInfo     = "34"
	colorOK       = "32"
	colorError    = "35"
)

var severityColors = map[string]string{
	"critical": colorCritical,
	"high":     colorHigh,
	"medium":   colorMedium,
	"low":      colorLow,
	"info":     colorInfo,
	kindError:  colorError,
	// undecided: a check that could not decide fails like an error.
	kindUndecided: colorError,
}

// severityColor is an item's colour: none for an accepted risk in force.
func severityColor(it item) string {
	if it.Accepted {
		return ""
	}
	return severityColors[it.Kind]
}

func (t *tableWriter) paint(s, color string) string {
	if !t.opts.Color || color == "" {
		return s
	}
	return "\x1b[" + color + "m" + s + "\x1b[0m"
}

// versionName is "TLS 1.3", and names SSL 3.0, which crypto/tls does not.
func versionName(v uint16) string {
	if v == 0x0300 {
		return "SSL 3.0"
	}
	return tls.VersionName(v)
}
