package report

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// htmlWriter writes one self-contained page (no external script, font,
// style or image) that a team can open from a CI artifact: the summary
// with the gate's verdict, the findings in a table that sorts and
// filters, and a section per target with its chain, protocols, cipher
// suites and HTTP facts.
//
// html/template escapes every string; strings from outside are also
// passed through textsafe.Escape, so control and bidi characters show as
// escapes, as in the table. The page's Content-Security-Policy allows
// only its own script and style (by hash): even markup that got through
// could run nothing.
type htmlWriter struct {
	collector
	w io.Writer
}

func newHTML(w io.Writer, meta Meta, opts Options) *htmlWriter {
	return &htmlWriter{collector: newCollector(meta, opts), w: w}
}

// htmlPage is what the template renders.
type htmlPage struct {
	Meta     Meta
	Started  string
	Summary  *Summary
	Targets  string
	Findings string
	Verdict  *Verdict
	Rows     []htmlRow
	Sections []htmlSection
	CSP      string
	Style    template.CSS
	Script   template.JS
}

type htmlRow struct {
	Kind, Label, Target, Anchor, Check, Title, Message string
	Rank                                               int
	Accepted                                           bool
}

type htmlSection struct {
	Anchor, Heading string
	Items           []item
	Facts           []fact
	R               ResultJSON
}

func (h *htmlWriter) Close(s *Summary) error {
	page := htmlPage{
		Meta: h.meta, Summary: s, Verdict: s.Verdict,
		Targets: targetsLine(s) + errorKinds(s), Findings: findingsLine(s),
		CSP: "default-src 'none'; style-src '" + cspHash(htmlStyle) + "'; script-src '" + cspHash(htmlScript) + "'",
		// Both are constants of this file: trusted.
		Style: template.CSS(htmlStyle), Script: template.JS(htmlScript),
	}
	if !h.meta.Started.IsZero() {
		page.Started = h.meta.Started.UTC().Format(time.RFC3339)
	}
	for i, tv := range view(h.results) {
		anchor := "target-" + strconv.Itoa(i)
		for _, it := range tv.Items {
			page.Rows = append(page.Rows, htmlRow{Kind: it.Kind, Label: it.Label(), Target: tv.R.Name, Anchor: anchor,
				Check: it.Check, Title: it.Title, Message: it.Message, Rank: it.rank, Accepted: it.Accepted})
		}
		page.Sections = append(page.Sections, htmlSection{Anchor: anchor, Heading: tv.Heading(), Items: tv.Items, Facts: tv.Facts(), R: tv.R})
	}
	return htmlTemplate.Execute(h.w, page)
}

// cspHash is the Content-Security-Policy source for an inline element
// with body s.
func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"esc": textsafe.Escape,
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	},
	"join": func(s []string) string { return strings.Join(s, ", ") },
}).Parse(htmlSource))

const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TLS audit</title>
<style>{{.Style}}</style>
</head>
<body>
<header>
<h1>TLS audit</h1>
<p class="meta">{{esc .Meta.Tool}} {{esc .Meta.Version}}{{if .Started}}, started {{.Started}}{{end}}{{if .Meta.TargetsFile}}, targets from {{esc .Meta.TargetsFile}}{{end}}{{if .Meta.Shard}}, shard {{esc .Meta.Shard}}{{end}}</p>
</header>
<section id="summary">
<h2>Summary</h2>
<dl>
<dt>Targets</dt><dd>{{esc .Targets}}</dd>
<dt>Findings</dt><dd>{{esc .Findings}}</dd>
{{with .Verdict}}<dt>Gate</dt><dd id="gate">{{if eq .FailOn "none"}}off (--fail-on none){{else if .Failed}}<strong class="sev-critical">failed</strong> (--fail-on {{esc .FailOn}})<ul>{{range .Reasons}}<li>{{esc .}}</li>{{end}}</ul>{{else}}passed (--fail-on {{esc .FailOn}}){{end}}</dd>{{end}}
</dl>
</section>
<section id="findings">
<h2>Findings</h2>
{{if .Rows}}<div class="controls">
<label>Filter <input id="filter" type="search" placeholder="target, check or text"></label>
<label>Severity <select id="severity">
<option value="">all</option>
<option value="critical">critical</option>
<option value="high">high and worse</option>
<option value="medium">medium and worse</option>
<option value="low">low and worse</option>
<option value="error">errors</option>
<option value="undecided">undecided</option>
</select></label>
<span id="shown" aria-live="polite"></span>
</div>
<table id="findings-table">
<thead><tr><th data-key="rank" aria-sort="descending"><button type="button">Severity</button></th><th data-key="target"><button type="button">Target</button></th><th data-key="check"><button type="button">Check</button></th><th data-key="message"><button type="button">Finding</button></th></tr></thead>
<tbody>
{{range .Rows}}<tr data-kind="{{.Kind}}" data-rank="{{.Rank}}"{{if .Accepted}} class="accepted"{{end}}>
<td class="sev-{{.Kind}}">{{esc .Label}}{{if .Accepted}} (accepted){{end}}</td>
<td><a href="#{{.Anchor}}">{{esc .Target}}</a></td>
<td title="{{esc .Title}}">{{esc .Check}}</td>
<td>{{esc .Message}}</td>
</tr>
{{end}}</tbody>
</table>{{else}}<p>No findings.</p>{{end}}
</section>
<section id="targets">
<h2>Targets</h2>
{{range .Sections}}<details id="{{.Anchor}}">
<summary>{{esc .Heading}} <span class="count">({{len .Items}})</span></summary>
{{if .Items}}<ul class="items">{{range .Items}}<li><span class="sev-{{.Kind}}">{{esc .Label}}</span> {{esc .Check}}: {{esc .Message}}</li>{{end}}</ul>{{end}}
{{if .Facts}}<dl class="facts">{{range .Facts}}<dt>{{esc .Name}}</dt><dd>{{esc .Value}}</dd>{{end}}</dl>{{end}}
{{with .R.Chain}}<h3>Chain</h3>
<table class="chain"><thead><tr><th>#</th><th>Subject</th><th>Issuer</th><th>Not after</th><th>Key</th><th>Signature</th></tr></thead><tbody>
{{range $i, $c := .}}<tr><td>{{$i}}</td>{{if $c.ParseError}}<td colspan="5">unparsable: {{esc $c.ParseError}}</td>{{else}}<td class="subject">{{esc $c.Subject}}</td><td>{{esc $c.Issuer}}</td><td>{{date $c.NotAfter}}</td><td>{{esc $c.KeyType}}{{if $c.KeyBits}} {{$c.KeyBits}}{{end}}</td><td>{{esc $c.SignatureAlgorithm}}</td>{{end}}</tr>
{{end}}</tbody></table>{{end}}
{{with .R.Enumeration}}<h3>Protocols and cipher suites</h3>
<table class="matrix"><thead><tr><th>Version</th><th>Suite</th><th>Key exchange</th><th>Cipher</th><th>Weaknesses</th></tr></thead><tbody>
{{range .Protocols}}{{$v := .Version}}{{if .Accepted}}{{range .Suites}}<tr><td>{{esc $v}}</td><td>{{esc .Name}}</td><td>{{esc .KeyExchange}}{{if .Group}} ({{esc .Group}}){{end}}{{if .DHBits}} {{.DHBits}}-bit{{end}}</td><td>{{esc .Cipher}}</td><td>{{esc (join .Weaknesses)}}</td></tr>
{{end}}{{else if .Error}}<tr><td>{{esc $v}}</td><td colspan="4">{{esc .Error}}</td></tr>
{{else}}<tr><td>{{esc $v}}</td><td colspan="4">not accepted</td></tr>
{{end}}{{end}}</tbody></table>{{end}}
</details>
{{end}}</section>
<script>{{.Script}}</script>
</body>
</html>
`

const htmlStyle = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.5rem;margin:0}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem}
.meta{color:#57606a;margin-top:.25rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer}
th[aria-sort=ascending] button::after{content:" \25B2"}th[aria-sort=descending] button::after{content:" \25BC"}
.controls{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
tr.accepted{color:#57606a}tr[hidden]{display:none}
.sev-critical{color:#a40e26;font-weight:700}.sev-high{color:#cf222e;font-weight:600}.sev-medium{color:#9a6700}.sev-low{color:#0969da}.sev-info{color:#57606a}.sev-error,.sev-undecided{color:#8250df;font-weight:600}
details{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}summary{cursor:pointer;font-weight:600;overflow-wrap:anywhere}
.count{color:#57606a;font-weight:400}
`

// htmlScript sorts and filters the findings table. It reads cells with
// textContent and writes only text, attributes it owns and the hidden
// flag: nothing from the report is ever parsed as HTML.
const htmlScript = `
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("filter");
  var severity = document.getElementById("severity");
  var shown = document.getElementById("shown");
  var floor = {critical: 70, high: 60, medium: 40, low: 30};
  function apply() {
    var text = filter.value.toLowerCase();
    var sev = severity.value;
    var n = 0;
    rows.forEach(function (row) {
      var ok = text === "" || row.textContent.toLowerCase().indexOf(text) >= 0;
      if (sev in floor) {
        ok = ok && Number(row.dataset.rank) >= floor[sev] && row.dataset.kind !== "error" && row.dataset.kind !== "undecided";
      } else if (sev !== "") {
        ok = ok && row.dataset.kind === sev;
      }
      row.hidden = !ok;
      if (ok) { n++; }
    });
    shown.textContent = n + " of " + rows.length + " shown";
  }
  function key(row, k) {
    if (k === "rank") { return Number(row.dataset.rank); }
    var i = {target: 1, check: 2, message: 3}[k];
    return row.cells[i].textContent.toLowerCase();
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var k = th.dataset.key;
      var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir);
      var sign = dir === "ascending" ? 1 : -1;
      rows.sort(function (a, b) {
        var x = key(a, k), y = key(b, k);
        return x < y ? -sign : x > y ? sign : 0;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  filter.addEventListener("input", apply);
  severity.addEventListener("change", apply);
  apply();
})();
`
