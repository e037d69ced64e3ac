package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/report"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// writeLines writes results as a JSON Lines report, prefix first.
func writeLines(t *testing.T, name, prefix string, rs ...report.ResultJSON) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(prefix)
	for _, r := range rs {
		line, err := json.Marshal(report.LineJSON{SchemaVersion: report.SchemaVersion, ResultJSON: r})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func resultWith(index int, name string, findings ...report.FindingJSON) report.ResultJSON {
	return report.ResultJSON{Index: index, Name: name, Host: name, Port: 443, ServerName: name, Status: "findings",
		Started: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC), Findings: findings}
}

// TestMergeGateRefusesUnknownSeverity: a finding whose severity merge does
// not know, or that has none, cannot be weighed, so it must not pass the
// gate as it would at "info": the report is refused (exit 2) with its
// file and line, and nothing is written.
func TestMergeGateRefusesUnknownSeverity(t *testing.T) {
	for _, sev := range []string{"severe", ""} {
		p := writeLines(t, "shard.jsonl", "",
			resultWith(0, "ok.example", report.FindingJSON{Check: "cert-expiring-soon", Severity: "low", Message: "soon"}),
			resultWith(1, "bad.example", report.FindingJSON{Check: "cert-expired", Severity: sev, Message: "expired"}))
		out := filepath.Join(t.TempDir(), "merged.json")
		code, _, errOut := run(t, "", "merge", p, "--fail-on", "high", "-o", out)
		if code != ExitUsage || !strings.Contains(errOut, p+": line 2:") || !strings.Contains(errOut, "cert-expired") {
			t.Errorf("severity %q: exit %d, want %d naming %s line 2:\n%s", sev, code, ExitUsage, p, errOut)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("severity %q: a report was written", sev)
		}
	}
}

// TestMergeReadsAByteOrderMark: a UTF-8 BOM at the start of a report (as
// PowerShell writes one) is not part of the JSON, in JSON Lines and JSON.
func TestMergeReadsAByteOrderMark(t *testing.T) {
	r := resultWith(0, "a.example", report.FindingJSON{Check: "cert-expired", Severity: "critical", Message: "expired"})
	lines := writeLines(t, "bom.jsonl", "\ufeff", r)
	doc, _ := json.Marshal(map[string]any{"schema_version": report.SchemaVersion, "results": []report.ResultJSON{r}})
	docPath := filepath.Join(t.TempDir(), "bom.json")
	os.WriteFile(docPath, append([]byte("\ufeff"), doc...), 0o644)
	for _, p := range []string{lines, docPath} {
		code, out, errOut := run(t, "", "merge", p, "--format", "jsonl", "--fail-on", "none")
		if code != 0 || !strings.Contains(out, "a.example") {
			t.Errorf("%s: exit %d: %s", filepath.Base(p), code, errOut)
		}
		// --baseline reads reports the same way.
		list := filepath.Join(t.TempDir(), "hosts.txt")
		os.WriteFile(list, []byte("127.0.0.1:1\n"), 0o644)
		if code, _, errOut := run(t, "", "scan", "-f", list, "--baseline", p, "--timeout", "1s", "--fail-on", "none", "--format", "json"); code != 0 {
			t.Errorf("--baseline %s: exit %d: %s", filepath.Base(p), code, errOut)
		}
	}
}

// TestMergeEscapesWhatReportsSay: every string a merged report carries
// (target names, error kinds and messages, checks, severities, file
// names) reaches the terminal escaped: in the table, its summary line, and
// merge's own warnings and errors.
func TestMergeEscapesWhatReportsSay(t *testing.T) {
	const evil = "\x1b]0;pwned\x07\x1b[2J\u202e"
	bad := resultWith(0, "evil"+evil+".example", report.FindingJSON{Check: "chk" + evil, Severity: "high", Message: "msg" + evil,
		Acceptance: &report.AcceptanceJSON{Check: "chk*", Until: "2020-01-31", Reason: "reason" + evil, Status: "expired"}})
	bad.Error = &report.ErrorJSON{Kind: "kind" + evil, Message: "message" + evil}
	bad.Status = "error"
	p := writeLines(t, "evil.jsonl", "", bad)
	// Given twice: the duplicate warning names the target.
	code, out, errOut := run(t, "", "merge", p, p, "--format", "table", "--fail-on", "none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "keeping the first") || !strings.Contains(out, `kind\x1b]0;pwned\x07`) {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out, errOut)
	}
	for _, s := range []string{out, errOut} {
		if strings.ContainsAny(s, "\x1b\x07\u202e") {
			t.Errorf("raw control characters reached the terminal:\n%q", s)
		}
	}
	// The gate's reasons name the check and target of an expired
	// acceptance.
	code, _, errOut = run(t, "", "merge", p, "--format", "json", "--fail-on", "high")
	if code != ExitFindings || !strings.Contains(errOut, "gate failed: the accepted risk for chk") || strings.ContainsAny(errOut, "\x1b\x07\u202e") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	// A damaged report's error quotes its bytes: escaped too.
	broken := filepath.Join(t.TempDir(), "broken"+evil+".jsonl")
	first, _ := os.ReadFile(p)
	os.WriteFile(broken, append(first, []byte("{\"schema_version\": \"1\", \"name\": \""+evil+"\n")...), 0o644)
	code, _, errOut = run(t, "", "merge", broken)
	if code != ExitUsage || strings.ContainsAny(errOut, "\x1b\x07\u202e") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestMergeInterrupted: merge stops on an interrupt (here the context's,
// as Ctrl-C cancels it) with exit 130 and no report, not a partial one.
func TestMergeInterrupted(t *testing.T) {
	p := writeLines(t, "shard.jsonl", "", resultWith(0, "a.example"), resultWith(1, "b.example"))
	out := filepath.Join(t.TempDir(), "merged.json")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(netx.ErrInterrupted)
	var stdout, stderr strings.Builder
	code := MainContext(ctx, []string{"merge", p, "-o", out, "--fail-on", "none"}, strings.NewReader(""), &stdout, &stderr)
	if code != ExitInterrupted {
		t.Errorf("exit %d, want %d: %s", code, ExitInterrupted, stderr.String())
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) > 0 {
		t.Errorf("left behind: %v", entries)
	}
}
