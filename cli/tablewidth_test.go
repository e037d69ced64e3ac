package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTableWidth resolves the table's width as documented: --width, else
// the terminal's (not testable here), else $COLUMNS, else 100 on a pipe.
func TestTableWidth(t *testing.T) {
	var pipe bytes.Buffer
	t.Setenv("COLUMNS", "")
	if got := tableWidth(0, &pipe); got != 100 {
		t.Errorf("pipe, no COLUMNS: %d, want 100", got)
	}
	t.Setenv("COLUMNS", "132")
	if got := tableWidth(0, &pipe); got != 132 {
		t.Errorf("COLUMNS=132: %d", got)
	}
	if got := tableWidth(70, &pipe); got != 70 {
		t.Errorf("--width 70 with COLUMNS=132: %d", got)
	}
	t.Setenv("COLUMNS", "wide")
	if got := tableWidth(0, &pipe); got != 100 {
		t.Errorf("COLUMNS=wide: %d, want 100", got)
	}
}

// TestMergeTableFitsAndShowsVerdict renders a report as a table through
// the command line: no line wider than --width, and the gate's verdict,
// with why it failed, in the summary at the top.
func TestMergeTableFitsAndShowsVerdict(t *testing.T) {
	report := filepath.Join(t.TempDir(), "r.json")
	doc := `{"schema_version":"1","tool":{"name":"tlsaudit","version":"x"},"started":"2026-11-23T12:00:00Z","checks":[],"results":[
{"index":0,"name":"a-rather-long-target-name.internal.example.com","host":"a.example.com","port":443,"servername":"a.example.com","status":"findings","started":"2026-11-23T12:00:00Z","duration_ms":1,"protocol":"https",
 "findings":[{"check":"cert-expired","severity":"critical","title":"t","message":"` + strings.Repeat("the leaf certificate expired long ago ", 8) + `"}]}],
"finished":"2026-11-23T12:00:01Z","summary":{"results":1,"scanned":1,"errors":0,"findings":{"critical":1},"check_errors":0,"accepted":0,"acceptance_expired":0}}`
	if err := os.WriteFile(report, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "", "merge", "--format", "table", "--width", "50", report)
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d: %s", code, ExitFindings, errOut)
	}
	for _, line := range strings.Split(out, "\n") {
		if utf8.RuneCountInString(line) > 50 {
			t.Errorf("line wider than 50: %q", line)
		}
	}
	if flat := strings.Join(strings.Fields(out), " "); !strings.Contains(flat, "Gate FAILED: worst finding: critical cert-expired on a-rather-long-target-name.internal.examp le.com; 1 finding at or above") {
		t.Errorf("no verdict in the summary:\n%s", out)
	}
	if code, _, errOut := run(t, "", "merge", "--format", "table", "--width", "-3", report); code != ExitUsage {
		t.Errorf("--width -3: exit %d: %s", code, errOut)
	}
}
