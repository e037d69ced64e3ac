package report

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
)

// markdownWriter writes a report for a GitHub job summary or a
// pull-request comment: the summary with the gate's verdict, one table of
// findings worst first, and a collapsed section per target with the facts
// that are not findings.
//
// Every string from outside goes through md, which escapes it for one
// line of Markdown text: no server can add a link, an image, a mention,
// HTML or a table column to the page.
type markdownWriter struct {
	collector
	w io.Writer
}

func newMarkdown(w io.Writer, meta Meta, opts Options) *markdownWriter {
	return &markdownWriter{collector: newCollector(meta, opts), w: w}
}

// markdownMaxRows bounds the findings table, and markdownMaxDetails the
// per-target sections, so a fleet's report stays under the size GitHub
// shows (a job summary holds 1 MiB); the JSON report has everything.
const (
	markdownMaxRows    = 500
	markdownMaxDetails = 200
)

func (m *markdownWriter) Close(s *Summary) error {
	ew := &errWriter{w: m.w}
	p := func(format string, a ...any) { ew.WriteString(fmt.Sprintf(format, a...)) }
	p("## TLS audit\n\n")
	if v := s.Verdict; v != nil {
		switch {
		case v.FailOn == "none":
			p("**Gate: off** (`--fail-on none`)\n\n")
		case v.Failed:
			p("**Gate: failed** (`--fail-on %s`)\n\n", md(v.FailOn))
			for _, r := range v.Reasons {
				p("- %s\n", md(r))
			}
			p("\n")
		default:
			p("**Gate: passed** (`--fail-on %s`)\n\n", md(v.FailOn))
		}
	}
	p("| | |\n|---|---|\n")
	p("| Targets | %s |\n", md(targetsLine(s)+errorKinds(s)))
	p("| Findings | %s |\n\n", md(findingsLine(s)))

	targets := view(m.results)
	rows := 0
	for _, tv := range targets {
		rows += len(tv.Items)
	}
	if rows > 0 {
		p("### Findings\n\n| Severity | Target | Check | Finding |\n|---|---|---|---|\n")
		n := 0
		for _, tv := range targets {
			for _, it := range tv.Items {
				if n == markdownMaxRows {
					break
				}
				n++
				label := md(it.Label())
				if it.Accepted {
					label += " (accepted)"
				} else {
					label = "**" + label + "**"
				}
				p("| %s | %s | %s | %s |\n", label, md(tv.R.Name), md(it.Check), md(it.Message))
			}
		}
		if rows > n {
			p("\n%d more rows are in the JSON report.\n", rows-n)
		}
		p("\n")
	}
	if len(targets) > 0 {
		p("### Targets\n\n")
	}
	for i, tv := range targets {
		if i == markdownMaxDetails {
			p("%d more targets are in the JSON report.\n\n", len(targets)-i)
			break
		}
		status := "no findings"
		if n := len(tv.Items); n > 0 {
			status = fmt.Sprintf("%d %s", n, words.Plural(n, "item", "items"))
		}
		// A details block is HTML, where Markdown escapes do not apply.
		p("<details><summary>%s (%s)</summary>\n\n", mdHTML(tv.Heading()), status)
		facts := tv.Facts()
		for _, it := range tv.Items {
			p("- **%s** %s: %s\n", md(it.Label()), md(it.Check), md(it.Message))
		}
		if len(tv.Items) > 0 && len(facts) > 0 {
			p("\n")
		}
		for _, f := range facts {
			p("- %s: %s\n", md(f.Name), md(f.Value))
		}
		p("\n</details>\n\n")
	}
	return ew.err
}

// mdHTML makes s one line of HTML text in a Markdown page: escaped for
// HTML, and with "@" as an entity so it mentions no one.
func mdHTML(s string) string {
	return strings.ReplaceAll(html.EscapeString(textsafe.Escape(s)), "@", "&#64;")
}

// md makes s one line of literal Markdown text: textsafe.Escape for
// controls and line breaks, then a backslash before every ASCII
// punctuation character (CommonMark's escapes, which GitHub honours), so
// nothing in s is markup: no emphasis, link, autolink, mention, HTML tag,
// entity or table cell boundary.
func md(s string) string {
	s = textsafe.Escape(s)
	var b strings.Builder
	for _, c := range s {
		if c < 0x80 && strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}
