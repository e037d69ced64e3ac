package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// openMetricsWriter writes the scan as metrics for the Prometheus node
// exporter's textfile collector (write the report to a .prom file in its
// directory), so a scheduled audit gives the series a team already
// alerts on with blackbox_exporter: tlsaudit_ssl_earliest_cert_expiry is
// probe_ssl_earliest_cert_expiry's meaning (the earliest NotAfter of the
// served chain, in Unix seconds). The text is both Prometheus' text
// format and OpenMetrics (it ends in "# EOF" and has only gauges).
type openMetricsWriter struct {
	collector
	w io.Writer
}

func newOpenMetrics(w io.Writer, meta Meta, opts Options) *openMetricsWriter {
	return &openMetricsWriter{collector: newCollector(meta, opts), w: w}
}

func (o *openMetricsWriter) Close(s *Summary) error {
	ew := &errWriter{w: o.w}
	family := func(name, help string) {
		ew.WriteString("# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n")
	}
	sample := func(name string, r ResultJSON, extra string, v string) {
		ew.WriteString(name + "{" + targetLabels(r) + extra + "} " + v + "\n")
	}

	family("tlsaudit_scan_success", "Whether the endpoint was scanned (1: a TLS handshake completed; 0: it could not be scanned).")
	for _, r := range o.results {
		if r.SourceTree != "" {
			continue
		}
		v := "1"
		if r.Error != nil {
			v = "0"
		}
		sample("tlsaudit_scan_success", r, "", v)
	}
	family("tlsaudit_ssl_earliest_cert_expiry", "Earliest expiry (NotAfter, Unix seconds) of the certificates the endpoint served, as blackbox_exporter's probe_ssl_earliest_cert_expiry.")
	for _, r := range o.results {
		if t, ok := earliestExpiry(r); ok {
			sample("tlsaudit_ssl_earliest_cert_expiry", r, "", strconv.FormatInt(t, 10))
		}
	}
	family("tlsaudit_findings", "Findings per severity that fail or would fail a gate (accepted risks in force are left out).")
	for _, r := range o.results {
		count := map[string]int{}
		for _, f := range r.Findings {
			if !f.Accepted {
				count[f.Severity]++
			}
		}
		for _, sev := range scanner.Severities {
			sample("tlsaudit_findings", r, `,severity="`+sev.String()+`"`, strconv.Itoa(count[sev.String()]))
		}
	}
	family("tlsaudit_grade_info", "The target's SSL Labs-style grade as a label (docs/grading.md); 1 for the grade it has, no sample when it was not graded.")
	for _, r := range o.results {
		if g := r.Grade; g != nil && g.Letter != "" {
			sample("tlsaudit_grade_info", r, `,grade="`+labelValue(g.Letter)+`"`, "1")
		}
	}
	family("tlsaudit_check_errors", "Checks that could not decide on the target.")
	for _, r := range o.results {
		sample("tlsaudit_check_errors", r, "", strconv.Itoa(len(r.CheckErrors)))
	}
	if !s.Finished.IsZero() {
		family("tlsaudit_last_run_timestamp_seconds", "When the scan finished, in Unix seconds.")
		ew.WriteString("tlsaudit_last_run_timestamp_seconds " + strconv.FormatInt(s.Finished.Unix(), 10) + "\n")
	}
	ew.WriteString("# EOF\n")
	return ew.err
}

// earliestExpiry is the earliest NotAfter in r's served chain.
func earliestExpiry(r ResultJSON) (int64, bool) {
	var min int64
	found := false
	for _, c := range r.Chain {
		if c.ParseError != "" || c.NotAfter.IsZero() {
			continue
		}
		if t := c.NotAfter.Unix(); !found || t < min {
			min, found = t, true
		}
	}
	return min, found
}

// targetLabels identify a target: its name, host and port (empty for an
// app's source tree, whose name says so).
func targetLabels(r ResultJSON) string {
	port := strconv.Itoa(r.Port)
	if r.SourceTree != "" {
		port = ""
	}
	return fmt.Sprintf(`target="%s",host="%s",port="%s"`, labelValue(r.Name), labelValue(r.Host), port)
}

// labelValue escapes a label value: textsafe.Escape for what a terminal
// showing the file would act on, then the format's own escapes.
func labelValue(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(textsafe.Escape(s))
}
