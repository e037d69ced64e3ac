package report

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// TestReadStreamNamesTheLine: a finding of an unknown severity in a JSON
// document is refused with the line its result starts on, as the JSON
// writer laid it out.
func TestReadStreamNamesTheLine(t *testing.T) {
	rs := []*scanner.Result{fleetResult(0), fleetResult(1)}
	doc := string(renderResults(t, "json", fixtureMeta(), Options{}, rs))
	second := strings.Index(doc, `"index": 1`)
	i := second + strings.Index(doc[second:], `"severity": "high"`)
	doc = doc[:i] + `"severity": "severe"` + doc[i+len(`"severity": "high"`):]
	want := fmt.Sprintf("line %d:", strings.Count(doc[:second], "\n")) // the result's "{" is the line before
	_, err := ReadStream(strings.NewReader(doc), func(ResultJSON, int) error { return nil })
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), `"severe"`) {
		t.Errorf("error %v, want one naming %s", err, want)
	}
	if errors.Is(err, ErrNotReport) {
		t.Error("a damaged report is not 'not a report'")
	}

	// And each result is handed over with its line.
	doc = string(renderResults(t, "json", fixtureMeta(), Options{}, rs))
	var lines []int
	if _, err := ReadStream(strings.NewReader(doc), func(_ ResultJSON, line int) error {
		lines = append(lines, line)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[1] != strings.Count(doc[:strings.Index(doc, `"index": 1`)], "\n") {
		t.Errorf("lines %v", lines)
	}
}

// FuzzReadStream: any bytes given as a report either fail to read or give
// results whose every finding has a severity the gate can weigh; the line
// handed over never goes back.
func FuzzReadStream(f *testing.F) {
	f.Add("{\"schema_version\": \"1\", \"results\": []}")
	f.Add("\ufeff{\"schema_version\":\"1\",\"index\":0,\"name\":\"a\",\"findings\":[{\"check\":\"x\",\"severity\":\"high\"}]}\n{\"schema_version\":\"1\"}\n")
	f.Add("{\n  \"schema_version\": \"1\",\n  \"results\": [\n    {\"findings\": [{\"severity\": \"\"}]}\n  ]\n}\n")
	f.Add("{\"results\": [{}], \"schema_version\": \"1\"}")
	f.Add("{\"$schema\": \"sarif\", \"runs\": [{\"results\": [1, 2, {\"a\": [3]}]}]}")
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		_, err := ReadStream(strings.NewReader(s), func(r ResultJSON, line int) error {
			if line < last || line < 1 {
				t.Fatalf("line %d after %d", line, last)
			}
			last = line
			for _, f := range r.Findings {
				if _, err := scanner.ParseSeverity(f.Severity); err != nil {
					t.Fatalf("a finding of severity %q was handed over", f.Severity)
				}
			}
			return nil
		})
		_ = err
	})
}
