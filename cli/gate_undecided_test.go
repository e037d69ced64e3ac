package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/report"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// TestGateUndecidedChecks scans a TLS service that does not speak HTTP as
// if it did: the HTTPS probe gets no answer, so the HSTS checks (medium,
// medium, low) cannot decide. That must fail a gate at or below their
// severity, say why, and show in the JSON status, never pass silently.
func TestGateUndecidedChecks(t *testing.T) {
	g := startGateLab(t, "tls-not-http")
	// The plain-HTTP check (high) is skipped so that only the HSTS checks
	// are undecided.
	http := "protocol: https\nskip_checks: [http-plaintext-fallback, tls-port-speaks-http]"
	path := g.write(t, "targets.yaml", "", entry{"tls-not-http", http})

	code, out, errOut := run(t, "", "scan", "-f", path, "--format", "json", "--fail-on", "medium")
	if code != ExitFindings {
		t.Fatalf("undecided medium checks passed --fail-on medium: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "gate failed: 2 checks at or above --fail-on medium could not decide on 1 target (--errors-fail=false to allow)") {
		t.Errorf("stderr does not give the reason:\n%s", errOut)
	}
	d := parseDoc(t, out)
	if r := d.Results[0]; r.Status != "undecided" || len(r.Findings) != 0 || len(r.CheckErrors) != 3 {
		t.Errorf("status %q, %d findings, check errors %+v", r.Status, len(r.Findings), r.CheckErrors)
	}

	for _, c := range []struct {
		name string
		args []string
		want int
	}{
		{"above their severity", []string{"--fail-on", "high"}, ExitOK},
		{"errors allowed", []string{"--fail-on", "medium", "--errors-fail=false"}, ExitOK},
		{"gate off", []string{"--fail-on", "none"}, ExitOK},
		{"low counts the low check too", []string{"--fail-on", "low"}, ExitFindings},
	} {
		code, _, errOut := run(t, "", append([]string{"scan", "-f", path, "--format", "json"}, c.args...)...)
		if code != c.want {
			t.Errorf("%s: exit %d, want %d\n%s", c.name, code, c.want, errOut)
		}
	}

	// An accepted risk in force for the checks covers their errors too.
	accepted := g.write(t, "accepted.yaml", "", entry{"tls-not-http", http + "\n" + acceptFor("hsts-*", "2999-12-31", "no HTTP on this port")})
	if code, _, errOut := run(t, "", "scan", "-f", accepted, "--format", "json", "--fail-on", "low"); code != ExitOK {
		t.Errorf("accepted checks failed the gate: exit %d\n%s", code, errOut)
	}
}

// undecidedSeverity is the severity the gate weighs check id at when it
// could not decide on t: as the scanner records it on the check error, or,
// for an ID no check has, as a report read back carries it.
func undecidedSeverity(id string, t *scanner.Target) scanner.Severity {
	for _, c := range checks.All() {
		if c.ID == id {
			ce := scanner.CheckError{CheckID: id, Severity: c.UndecidedSeverity(t)}
			return ce.Weight()
		}
	}
	r := report.FromJSON(report.ResultJSON{CheckErrors: []report.CheckErrorJSON{{Check: id, Error: "read back"}}})
	return r.CheckErrors[0].Weight()
}

// TestUndecidedSeverity pins the severity an undecided check weighs: its
// own, the highest selected rule's for a family, critical when unknown.
func TestUndecidedSeverity(t *testing.T) {
	all := &scanner.Target{}
	if got := undecidedSeverity(checks.HSTSMissing.ID, all); got != checks.HSTSMissing.Severity {
		t.Errorf("hsts-missing: %v", got)
	}
	if got := undecidedSeverity("zlint", all); got != scanner.Medium {
		t.Errorf("zlint with every rule: %v, want medium (its error lints)", got)
	}
	warnings := &scanner.Target{Checks: scanner.Selection{Skip: []string{"zlint/e_*", "zlint/n_*"}}}
	if got := undecidedSeverity("zlint", warnings); got != scanner.Low {
		t.Errorf("zlint with only warning lints: %v, want low", got)
	}
	if got := undecidedSeverity("no-such-check", all); got != scanner.Critical {
		t.Errorf("unknown check: %v, want critical", got)
	}
}

// TestGateHostileEndlessHeaders is the reviewer's case: a server whose
// HTTP headers never end leaves the HSTS checks undecided (the lab's
// endless-header endpoint, WantUndecided); it must not pass --fail-on
// medium.
func TestGateHostileEndlessHeaders(t *testing.T) {
	g := startGateLab(t, "endless-header")
	path := g.write(t, "targets.yaml", "", entry{"endless-header", ""})
	code, out, errOut := run(t, "", "scan", "-f", path, "--format", "json", "--fail-on", "medium")
	if code != ExitFindings || !strings.Contains(errOut, "at or above --fail-on medium could not decide on 1 target") {
		t.Fatalf("exit %d, want %d with the reason\n%s", code, ExitFindings, errOut)
	}
	if r := parseDoc(t, out).Results[0]; r.Status != "undecided" {
		t.Errorf("status %q, want undecided; check errors %+v, findings %+v", r.Status, r.CheckErrors, r.Findings)
	}
}

// TestGateUndecidedMergeAgrees merges the report of a scan whose checks
// could not decide: the merged gate must give the scan's exit code, with
// and without an accepted risk covering those checks. The report alone
// must carry the decision, as the targets file is not read again.
func TestGateUndecidedMergeAgrees(t *testing.T) {
	g := startGateLab(t, "endless-header")
	for _, c := range []struct {
		name, extra string
		want        int
	}{
		{"accepted", acceptFor("hsts-*", "2999-12-31", "no HTTP on this port"), ExitOK},
		{"not accepted", "", ExitFindings},
	} {
		path := g.write(t, strings.ReplaceAll(c.name, " ", "-")+".yaml", "", entry{"endless-header", c.extra})
		reportPath := filepath.Join(g.dir, strings.ReplaceAll(c.name, " ", "-")+".json")
		code, _, errOut := run(t, "", "scan", "-f", path, "--format", "json", "-o", reportPath, "--fail-on", "low")
		if code != c.want {
			t.Fatalf("%s: scan exit %d, want %d\n%s", c.name, code, c.want, errOut)
		}
		if merged, _, errOut := run(t, "", "merge", reportPath, "--format", "json", "--fail-on", "low"); merged != code {
			t.Errorf("%s: merge exit %d, the scan's %d\n%s", c.name, merged, code, errOut)
		}
	}
}
