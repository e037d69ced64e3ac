package report

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCodeFindingsCarryTheirLine checks that a source tree's findings show
// file:line in every format without reshaping the reports: the table puts
// it first in the finding, JSON and JSON Lines in "location", and a host
// discovered in source lists its "sources".
func TestCodeFindingsCarryTheirLine(t *testing.T) {
	table := string(render(t, "table", Options{}))
	for _, want := range []string{"app/lib/api/client.dart:15:12: badCertificateCallback returns true", "app/lib/config.dart:8:37: http://legacy.example.net"} {
		if !strings.Contains(strings.Join(strings.Fields(table), " "), want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if !strings.Contains(table, "Targets   3 scanned, 3 unreachable or failed, 1 source tree") {
		t.Errorf("summary line does not count the source tree apart:\n%s", table)
	}
	var doc struct {
		Results []ResultJSON `json:"results"`
		Summary Summary      `json:"summary"`
	}
	if err := json.Unmarshal(render(t, "json", Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	code := doc.Results[len(doc.Results)-1]
	if code.SourceTree != "app" || code.Status != "findings" || len(code.Findings) != 2 {
		t.Fatalf("source result = %+v", code)
	}
	if loc := code.Findings[0].Location; loc == nil || loc.String() != "app/lib/api/client.dart:15:12" {
		t.Errorf("finding location = %v", loc)
	}
	if got := doc.Results[0].Sources; len(got) != 2 || got[0].String() != "app/lib/config.dart:4" {
		t.Errorf("host sources = %v", got)
	}
	if doc.Summary.SourceTrees != 1 || doc.Summary.Scanned != 3 {
		t.Errorf("summary = %+v", doc.Summary)
	}
	lines := strings.Split(strings.TrimSpace(string(render(t, "jsonl", Options{}))), "\n")
	var last LineJSON
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatal(err)
	}
	if last.SourceTree != "app" || last.Findings[1].Location == nil || last.Findings[1].Location.Line != 8 {
		t.Errorf("jsonl source line = %+v", last)
	}
}
