package lab_test

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/tlsaudit/tlsaudit/cli"
	"github.com/tlsaudit/tlsaudit/internal/schemacheck"
	"github.com/tlsaudit/tlsaudit/report"
)

// TestLabReportFormats renders the whole lab's report (every endpoint,
// every check) in every format, through `tlsaudit merge` as a user would,
// and checks each against what reads it: JSON and JSON Lines against the
// JSON Schema `tlsaudit schema` prints, OpenMetrics with the Prometheus
// text parser, CSV with a CSV reader, the table at 80 columns for width.
func TestLabReportFormats(t *testing.T) {
	raw := labReport(t)
	if err := schemacheck.Validate("json", raw); err != nil {
		t.Errorf("demo's JSON report: %v", err)
	}
	for _, format := range report.Formats {
		t.Run(format, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := []string{"merge", labPath, "--format", format, "--fail-on", "none", "--width", "80"}
			if format == "sarif" {
				args = append(args, "--sarif-root", filepath.Dir(labPath))
			}
			if code := cli.Main(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
				t.Fatalf("merge --format %s exited %d: %s", format, code, stderr.String())
			}
			out := stdout.Bytes()
			switch format {
			case "json", "jsonl":
				if err := schemacheck.Validate(format, out); err != nil {
					t.Error(err)
				}
			case "openmetrics":
				p := expfmt.NewTextParser(model.LegacyValidation)
				families, err := p.TextToMetricFamilies(bytes.NewReader(out))
				if err != nil || len(families["tlsaudit_ssl_earliest_cert_expiry"].GetMetric()) == 0 {
					t.Errorf("openmetrics: %v, %d families", err, len(families))
				}
			case "csv":
				rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
				if err != nil || len(rows) < 50 {
					t.Errorf("csv: %v, %d rows", err, len(rows))
				}
			case "table":
				for _, line := range strings.Split(string(out), "\n") {
					if utf8.RuneCountInString(line) > 80 {
						t.Errorf("table line wider than 80: %q", line)
					}
				}
			case "markdown", "html", "sarif":
				if len(out) == 0 {
					t.Error("empty report")
				}
			default:
				t.Errorf("no check for format %s", format)
			}
		})
	}
}
