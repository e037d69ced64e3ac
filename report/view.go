package report

import (
	"cmp"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// The formats people read (table, markdown, html, csv) and the metrics
// one (openmetrics) share one model of a report: the results in their wire
// form, kept until Close, then each target's findings, errors and
// undecided checks as items, worst first. A new format of that kind is a
// writer in a file of its own that renders a view.

// collector keeps the results of a report until Close; every buffered
// writer embeds it.
type collector struct {
	meta    Meta
	opts    Options
	titles  map[string]string
	results []ResultJSON
}

func newCollector(meta Meta, opts Options) collector {
	return collector{meta: meta, opts: opts, titles: titlesOf(meta.Checks)}
}

func (c *collector) Write(r *scanner.Result) error { return c.WriteJSON(ToJSON(r, c.titles)) }

// WriteJSON keeps one result in its wire form, which is all a view shows;
// `tlsaudit merge` renders reports read back this way.
func (c *collector) WriteJSON(r ResultJSON) error {
	c.results = append(c.results, r)
	return nil
}

// slim drops from r what only the facts (Facts) and the JSON formats
// show, for writers that list findings only: a fleet's table then holds a
// few hundred bytes per target rather than its chain and cipher matrix.
func slim(r ResultJSON) ResultJSON {
	out := ResultJSON{Index: r.Index, Name: r.Name, Host: r.Host, Port: r.Port, SourceTree: r.SourceTree,
		Status: r.Status, Address: r.Address, Error: r.Error, CheckErrors: r.CheckErrors, Protocol: r.Protocol}
	if r.Grade != nil {
		out.Grade = &GradeJSON{Letter: r.Grade.Letter}
	}
	if r.TLS != nil {
		out.TLS = &TLSJSON{Version: r.TLS.Version, LegacyOnly: r.TLS.LegacyOnly}
	}
	out.Findings = make([]FindingJSON, len(r.Findings))
	for i, f := range r.Findings {
		f.Evidence = nil
		out.Findings[i] = f
	}
	return out
}

// Item kinds beyond the severities: a target that could not be scanned,
// and a check that could not decide.
const (
	kindError     = "error"
	kindUndecided = "undecided"
)

// item is one line of a target's part of a report.
type item struct {
	// Kind is a severity name, kindError or kindUndecided.
	Kind  string
	Check string
	Title string
	// Message is what was found, with the code location or accepted risk
	// that goes with it in front.
	Message string
	// Accepted is true when an accepted risk in force covers it: shown,
	// but not failing the gate.
	Accepted bool
	// AcceptanceExpired is true when the acceptance covering it ran out.
	AcceptanceExpired bool
	// Location is the file:line:column of a code finding.
	Location string
	rank     int
}

// Label is the kind as the reports print it: CRITICAL, ERROR, ...
func (i item) Label() string { return strings.ToUpper(i.Kind) }

// targetView is one result and its items, worst first.
type targetView struct {
	R     ResultJSON
	Items []item
	// Worst is the rank of its worst item not accepted (0: none).
	Worst int
}

// Address is where the target was scanned, "-" when nowhere.
func (t targetView) Address() string {
	if t.R.Address == "" {
		return "-"
	}
	return t.R.Address
}

// Where is what was scanned: the address connected to, else host:port,
// or the source tree.
func (t targetView) Where() string {
	switch {
	case t.R.SourceTree != "":
		return "source tree " + t.R.SourceTree
	case t.R.Address != "":
		return t.R.Address
	}
	return net.JoinHostPort(t.R.Host, strconv.Itoa(t.R.Port))
}

// Heading is the line a target's part of a report starts with: its
// name, where it was scanned, the TLS version negotiated and its grade.
func (t targetView) Heading() string {
	h := t.R.Name + "  " + t.Where()
	if t.R.TLS != nil {
		h += "  " + t.TLSVersion()
	}
	if g := t.R.Grade; g != nil && g.Letter != "" {
		h += "  grade " + g.Letter
	}
	return h
}

// TLSVersion is the negotiated version, "none" without a handshake, and
// the protocol it was reached through when that is not HTTPS or bare TLS.
func (t targetView) TLSVersion() string {
	if t.R.TLS == nil {
		return "none"
	}
	v := t.R.TLS.Version
	if t.R.TLS.LegacyOnly {
		v += " (legacy only)"
	}
	if p := t.R.Protocol; p != "" && p != string(scanner.ProtocolHTTPS) && p != string(scanner.ProtocolTLS) {
		v += " (" + p + ")"
	}
	return v
}

// Facts are the observations that are not findings, one line each: what
// --verbose adds to the table and the per-target details show.
func (t targetView) Facts() []fact {
	r := t.R
	var out []fact
	if r.TLS != nil {
		out = append(out, fact{"negotiated", r.TLS.Version + ", " + r.TLS.CipherSuite + " (" + r.TLS.Client + ")"})
	}
	if r.Trust != nil {
		line := r.Trust.Status + " against " + r.Trust.Roots + " roots"
		if r.Trust.Detail != "" {
			line += ": " + r.Trust.Detail
		}
		out = append(out, fact{"trust", line})
	}
	if r.Grade != nil {
		out = append(out, fact{"grade", gradeLine(r.Grade)})
	}
	if r.Enumeration != nil {
		out = append(out, fact{"protocols", protocolLine(r.Enumeration)})
		for _, p := range r.Enumeration.Protocols {
			if !p.Accepted && p.Error == "" {
				continue
			}
			names := make([]string, len(p.Suites))
			for i, s := range p.Suites {
				names[i] = s.Name
			}
			line := strings.Join(names, ", ")
			if p.Error != "" {
				line = strings.TrimPrefix(line+"; ", "; ") + p.Error
			}
			out = append(out, fact{"suites " + p.Version, line})
		}
	}
	for i, c := range r.Chain {
		line := c.Subject + " (issuer " + c.Issuer + ", expires " + c.NotAfter.UTC().Format("2006-01-02") + ")"
		if c.ParseError != "" {
			line = "unparsable: " + c.ParseError
		}
		out = append(out, fact{"chain " + strconv.Itoa(i), line})
	}
	if h := r.HTTP; h != nil {
		if h.HTTPS != nil {
			line := h.HTTPS.StatusLine
			if h.HTTPS.HSTS != nil {
				line += "; HSTS " + h.HTTPS.HSTS.Header
			} else if h.HTTPS.Error == nil {
				line += "; no HSTS"
			}
			out = append(out, fact{"https", strings.TrimPrefix(line, "; ")})
		}
		if h.PlainHTTP != nil {
			out = append(out, fact{"plain http", h.PlainHTTP.Verdict + ": " + h.PlainHTTP.Detail})
		}
	}
	return out
}

// fact is one observation: what it is about, and what was seen.
type fact struct{ Name, Value string }

// ranks orders kinds worst first: an unscanned target or an undecided
// check sits with high, since either fails the gate at its default.
var ranks = map[string]int{
	"critical": 70, "high": 60, kindError: 55, kindUndecided: 50, "medium": 40, "low": 30, "info": 20,
}

// view turns results into targets worst first (the worst item not
// accepted decides; ties keep the scan's order), each target's items worst
// first, accepted ones after those that count.
func view(results []ResultJSON) []targetView {
	out := make([]targetView, 0, len(results))
	for _, r := range results {
		t := targetView{R: r}
		if r.Error != nil {
			t.Items = append(t.Items, item{Kind: kindError, Check: r.Error.Kind, Message: r.Error.Message})
		}
		for _, f := range r.Findings {
			it := item{Kind: f.Severity, Check: f.Check, Title: f.Title, Message: f.Message, Accepted: f.Accepted}
			if _, err := scanner.ParseSeverity(f.Severity); err != nil {
				it.Kind = "info" // a merged report's unknown severity reads as the least
			}
			if a := f.Acceptance; a != nil {
				note := "accepted until " + a.Until
				if a.Status == "expired" {
					note = "acceptance expired " + a.Until
					it.AcceptanceExpired = true
				}
				it.Message = "[" + note + ": " + a.Reason + "] " + it.Message
			}
			if f.Location != nil {
				it.Location = f.Location.String()
				it.Message = it.Location + ": " + it.Message
			}
			t.Items = append(t.Items, it)
		}
		for _, ce := range r.CheckErrors {
			t.Items = append(t.Items, item{Kind: kindUndecided, Check: ce.Check, Message: "could not decide: " + ce.Error, Accepted: ce.Accepted})
		}
		for i := range t.Items {
			it := &t.Items[i]
			it.rank = ranks[it.Kind]
			if !it.Accepted && it.rank > t.Worst {
				t.Worst = it.rank
			}
		}
		slices.SortStableFunc(t.Items, func(a, b item) int {
			if a.Accepted != b.Accepted {
				if a.Accepted {
					return 1
				}
				return -1
			}
			return cmp.Compare(b.rank, a.rank)
		})
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(a, b targetView) int { return cmp.Compare(b.Worst, a.Worst) })
	return out
}

// Verdict is the gate's decision, which the formats people read show in
// their summary. It is not part of the JSON report.
type Verdict struct {
	// FailOn is the --fail-on severity, "none" when the gate is off.
	FailOn string
	Failed bool
	// Reasons say why it failed, one line each.
	Reasons []string
}

// verdictLine is the gate's verdict in one line.
func verdictLine(v *Verdict) string {
	switch {
	case v == nil:
		return ""
	case v.FailOn == "none":
		return "off (--fail-on none)"
	case !v.Failed:
		return "passed (--fail-on " + v.FailOn + ")"
	}
	return "FAILED: " + strings.Join(v.Reasons, "; ")
}

// targetsLine counts what the results were.
func targetsLine(s *Summary) string {
	line := strconv.Itoa(s.Scanned) + " scanned, " + strconv.Itoa(s.Errors) + " unreachable or failed"
	if s.SourceTrees > 0 {
		line += ", " + strconv.Itoa(s.SourceTrees) + " source " + words.Plural(s.SourceTrees, "tree", "trees")
	}
	return line
}

// findingsLine counts the findings by severity, and what was accepted or
// left out.
func findingsLine(s *Summary) string {
	var parts []string
	for _, sev := range scanner.Severities {
		if n := s.Findings[sev.String()]; n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+sev.String())
		}
	}
	line := "none"
	if len(parts) > 0 {
		line = strings.Join(parts, ", ")
	}
	var notes []string
	if s.Accepted > 0 {
		notes = append(notes, strconv.Itoa(s.Accepted)+" accepted")
	}
	if s.AcceptanceExpired > 0 {
		notes = append(notes, strconv.Itoa(s.AcceptanceExpired)+" "+words.Plural(s.AcceptanceExpired, "acceptance", "acceptances")+" expired")
	}
	if s.CheckErrors > 0 {
		notes = append(notes, strconv.Itoa(s.CheckErrors)+" "+words.Plural(s.CheckErrors, "check", "checks")+" could not decide")
	}
	if s.BaselineKnown > 0 {
		notes = append(notes, strconv.Itoa(s.BaselineKnown)+" already in the baseline, not shown")
	}
	if s.BelowMinSeverity > 0 {
		notes = append(notes, strconv.Itoa(s.BelowMinSeverity)+" below --min-severity not shown")
	}
	if len(notes) > 0 {
		line += " (" + strings.Join(notes, "; ") + ")"
	}
	return line
}

// errWriter remembers the first write error, so a renderer can write
// line after line and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) WriteString(s string) {
	if e.err == nil {
		_, e.err = io.WriteString(e.w, s)
	}
}
