package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner"
)

func writeBaseline(t *testing.T, format string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "previous."+format)
	if err := os.WriteFile(p, render(t, format, Options{}), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBaselineFilter checks that findings already in an earlier report are
// left out, whatever their message or evidence now says, and that new
// ones (another check, another endpoint, one more of the same) stay.
func TestBaselineFilter(t *testing.T) {
	for _, format := range []string{"json", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			b, err := LoadBaseline(writeBaseline(t, format))
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			for _, r := range fixtureResults(t) {
				want += len(r.Findings)
			}
			if b.Findings != want {
				t.Fatalf("baseline holds %d findings, want %d", b.Findings, want)
			}
			rs := fixtureResults(t)
			old := rs[1]
			old.Findings[0].Message = "the leaf certificate expired 23 days ago, on 2026-11-01" // a day later
			old.Findings[0].Evidence = map[string]string{"days_expired": "23"}
			old.Findings = append(old.Findings,
				scanner.Finding{CheckID: "chain-incomplete", Severity: scanner.High, Message: "new problem"},
				old.Findings[0], // a second cert-expired: the baseline had one
			)
			got, known := b.Filter(old)
			var ids []string
			for _, f := range got.Findings {
				ids = append(ids, f.CheckID)
			}
			if known != 3 || strings.Join(ids, ",") != "chain-incomplete,cert-expired" {
				t.Errorf("known %d, kept %v", known, ids)
			}
			if len(old.Findings) != 5 {
				t.Error("Filter changed its input")
			}
			// Same check on another endpoint is new.
			api := rs[0]
			api.Findings = []scanner.Finding{{CheckID: "cert-expired", Severity: scanner.Critical}}
			if got, known := b.Filter(api); known != 0 || len(got.Findings) != 1 {
				t.Errorf("api: known %d", known)
			}
		})
	}
}

func TestBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"sarif.json":  `{"version": "2.1.0", "runs": []}`,
		"text.json":   "not json\n",
		"future.json": `{"schema_version": "9", "results": []}`,
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		if _, err := LoadBaseline(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := LoadBaseline(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "read baseline") {
		t.Errorf("missing: %v", err)
	}
}

func TestAtLeast(t *testing.T) {
	r := fixtureResults(t)[1]
	got, hidden := AtLeast(r, scanner.High)
	if hidden != 1 || len(got.Findings) != 2 || len(r.Findings) != 3 {
		t.Errorf("hidden %d, kept %d, input now %d", hidden, len(got.Findings), len(r.Findings))
	}
	if same, hidden := AtLeast(r, scanner.Info); same != r || hidden != 0 {
		t.Error("nothing to hide should return the result itself")
	}
}

// TestBaselineRenamedCheck: a baseline written before ocsp-revoked was
// renamed cert-revoked still covers the same findings.
func TestBaselineRenamedCheck(t *testing.T) {
	old := strings.ReplaceAll(string(render(t, "json", Options{})), `"check": "cert-expired"`, `"check": "ocsp-revoked"`)
	if !strings.Contains(old, `"check": "ocsp-revoked"`) {
		t.Fatal("fixture has no cert-expired finding to rename")
	}
	p := filepath.Join(t.TempDir(), "previous.json")
	if err := os.WriteFile(p, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := LoadBaseline(p)
	if err != nil {
		t.Fatal(err)
	}
	r := fixtureResults(t)[1]
	for i := range r.Findings {
		if r.Findings[i].CheckID == "cert-expired" {
			r.Findings[i].CheckID = "cert-revoked"
		}
	}
	if got, known := b.Filter(r); known != len(r.Findings) {
		t.Errorf("known %d of %d, kept %+v", known, len(r.Findings), got.Findings)
	}
}
