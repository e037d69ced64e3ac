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
