package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestFailOnGrade: --fail-on-grade B passes A and B targets and fails a C
// one, naming it, whatever --fail-on says; the JSON and the table carry
// the grade; a bad letter is a usage error.
func TestFailOnGrade(t *testing.T) {
	g := startGateLab(t, "good", "rsa-1024", "tls10-only")
	passing := g.write(t, "passing.yaml", "", entry{name: "good"}, entry{name: "rsa-1024"})
	failing := g.write(t, "failing.yaml", "", entry{name: "good"}, entry{name: "tls10-only"})

	code, out, errOut := run(t, "", "scan", "-f", passing, "--format", "json", "--fail-on", "none", "--fail-on-grade", "B")
	if code != ExitOK {
		t.Fatalf("A and B targets failed --fail-on-grade B: exit %d\n%s", code, errOut)
	}
	var d struct {
		Results []struct {
			Name  string
			Grade *struct{ Letter string }
		}
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range d.Results {
		if r.Grade != nil {
			got[r.Name] = r.Grade.Letter
		}
	}
	if got["good"] != "A+" || got["rsa-1024"] != "B" {
		t.Errorf("grades in the JSON report: %v", got)
	}

	code, _, errOut = run(t, "", "scan", "-f", failing, "--format", "json", "--fail-on", "none", "--fail-on-grade", "b")
	if code != ExitFindings {
		t.Fatalf("a C target passed --fail-on-grade B: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "gate failed: 1 target graded worse than --fail-on-grade B: tls10-only: C") {
		t.Errorf("stderr does not name the target and its grade:\n%s", errOut)
	}
	if code, _, _ := run(t, "", "scan", "-f", failing, "--format", "json", "--fail-on", "none", "--fail-on-grade", "C"); code != ExitOK {
		t.Errorf("--fail-on-grade C failed on a C target: exit %d", code)
	}

	_, table, _ := run(t, "", "scan", "-f", failing, "--format", "table", "--fail-on", "none")
	if !strings.Contains(table, "TLS 1.0  grade C") {
		t.Errorf("table's target heading lacks the grade:\n%s", table)
	}
	_, table, _ = run(t, "", "scan", "-f", failing, "--format", "table", "--fail-on", "none", "--verbose")
	if !strings.Contains(table, "the server supports neither TLS 1.2 nor TLS 1.3: capped to C") {
		t.Errorf("verbose table lacks the grade's reason:\n%s", table)
	}

	if code, _, errOut := run(t, "", "scan", "-f", passing, "--fail-on-grade", "G"); code != ExitUsage || !strings.Contains(errOut, `--fail-on-grade: "G" is not a grade`) {
		t.Errorf("--fail-on-grade G: exit %d\n%s", code, errOut)
	}
}
