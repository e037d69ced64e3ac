package cli

import (
	"path/filepath"
	"testing"
)

// TestSARIFNotBaselineFiltered checks that --baseline leaves the SARIF
// report whole (a known finding left out of an upload closes its alert)
// while the JSON report and the gate see only what is new; --min-severity
// applies to SARIF as to every report.
func TestSARIFNotBaselineFiltered(t *testing.T) {
	g := startGateLab(t, "expired", "expiring-soon")
	path := g.write(t, "targets.yaml", "", entry{"expired", ""}, entry{"expiring-soon", ""})
	baseline := filepath.Join(g.dir, "baseline.json")
	if code, _, errOut := run(t, "", "scan", "-f", path, "-o", baseline); code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	side := filepath.Join(g.dir, "side.sarif")
	code, out, errOut := run(t, "", "scan", "-f", path, "--format", "json", "--baseline", baseline, "--sarif", side, "--sarif-root", g.dir)
	if code != ExitOK {
		t.Fatalf("known findings failed the gate: exit %d\n%s", code, errOut)
	}
	if d := parseReport(t, out); len(d.Results[0].Findings)+len(d.Results[1].Findings) != 0 {
		t.Errorf("the JSON report kept known findings: %+v", d.Results)
	}
	if n := len(*readSARIF(t, side).Runs[0].Results); n != 2 {
		t.Errorf("--sarif holds %d results, want the 2 known findings", n)
	}

	main := filepath.Join(g.dir, "main.sarif")
	if code, _, errOut := run(t, "", "scan", "-f", path, "--format", "sarif", "-o", main, "--baseline", baseline, "--sarif-root", g.dir); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := len(*readSARIF(t, main).Runs[0].Results); n != 2 {
		t.Errorf("--format sarif holds %d results, want 2", n)
	}

	if code, _, errOut := run(t, "", "scan", "-f", path, "--format", "json", "-o", filepath.Join(g.dir, "r.json"), "--baseline", baseline,
		"--sarif", side, "--sarif-root", g.dir, "--min-severity", "high"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if rs := *readSARIF(t, side).Runs[0].Results; len(rs) != 1 || rs[0].RuleID != "cert-expired" {
		t.Errorf("--min-severity high: SARIF results %+v, want only cert-expired", rs)
	}
}
