package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// gateLab is a running lab and a folder (the "repository") to write
// targets files into.
type gateLab struct {
	l   *lab.Lab
	dir string
	ca  string
}

func startGateLab(t *testing.T, names ...string) *gateLab {
	t.Helper()
	l, dir, ca := startLab(t, "lab-ca.pem", names...)
	return &gateLab{l: l, dir: dir, ca: ca}
}

// entry is one target of a targets file: a lab endpoint and extra YAML
// lines for it (indented under the target).
type entry struct {
	name  string
	extra string
}

// write writes a targets file for the entries, after head (lines such as
// comments, to move every target down).
func (g *gateLab) write(t *testing.T, file, head string, entries ...entry) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(head)
	fmt.Fprintf(&b, "defaults:\n  ca: %q\ntargets:\n", g.ca)
	for _, e := range entries {
		ep := g.l.Endpoint(e.name)
		if ep == nil {
			t.Fatalf("no lab endpoint %s", e.name)
		}
		tg := ep.Target()
		fmt.Fprintf(&b, "  - name: %s\n    host: %q\n    port: %d\n    servername: %s\n", e.name, tg.Host, tg.Port, tg.ServerName)
		for _, line := range strings.Split(strings.TrimSpace(e.extra), "\n") {
			if line != "" {
				b.WriteString("    " + line + "\n")
			}
		}
	}
	p := filepath.Join(g.dir, file)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func acceptFor(check, until, reason string) string {
	return fmt.Sprintf("accept:\n  - check: %s\n    until: %s\n    reason: %s", check, until, reason)
}

type findingDoc struct {
	Check      string `json:"check"`
	Severity   string `json:"severity"`
	Accepted   bool   `json:"accepted"`
	Acceptance *struct {
		Status string `json:"status"`
		Reason string `json:"reason"`
	} `json:"acceptance"`
}

type reportDoc struct {
	Results []struct {
		Name     string       `json:"name"`
		Findings []findingDoc `json:"findings"`
		Error    *struct {
			Kind string `json:"kind"`
		} `json:"error"`
	} `json:"results"`
	Summary struct {
		Findings          map[string]int `json:"findings"`
		Accepted          int            `json:"accepted"`
		AcceptanceExpired int            `json:"acceptance_expired"`
		BaselineKnown     int            `json:"baseline_known"`
		BelowMinSeverity  int            `json:"below_min_severity"`
	} `json:"summary"`
}

func parseReport(t *testing.T, out string) reportDoc {
	t.Helper()
	var d reportDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return d
}

type sarifLog struct {
	Runs []struct {
		AutomationDetails struct{ ID string }
		Tool              struct {
			Driver struct {
				Rules []struct{ ID string }
			}
		}
		Results *[]struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string }
					Region           struct{ StartLine int }
				}
			}
			PartialFingerprints map[string]string
			Suppressions        []struct{ Status, Justification string }
			Properties          map[string]any
		}
		Invocations []struct {
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			}
		}
	}
}

func readSARIF(t *testing.T, path string) sarifLog {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s sarifLog
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s is not JSON: %v", path, err)
	}
	return s
}

// TestAcceptedRisks checks that an accepted finding is still reported,
// marked (JSON, table, SARIF suppression), and does not fail the gate
// until its date passes; then it fails again and says why.
func TestAcceptedRisks(t *testing.T) {
	g := startGateLab(t, "expired", "wrong-host")
	inForce := g.write(t, "in-force.yaml", "",
		entry{"expired", acceptFor("cert-expired", "2999-12-31", "replacement ordered, ticket OPS-7")},
		entry{"wrong-host", acceptFor("hostname-*", "2999-12-31", "legacy alias")})
	sarifPath := filepath.Join(g.dir, "out.sarif")
	code, out, errOut := run(t, "", "scan", "-f", inForce, "--format", "json", "--sarif", sarifPath, "--sarif-root", g.dir)
	if code != ExitOK {
		t.Fatalf("accepted findings failed the gate: exit %d\n%s", code, errOut)
	}
	d := parseReport(t, out)
	f := d.Results[0].Findings
	if len(f) != 1 || f[0].Check != "cert-expired" || !f[0].Accepted || f[0].Acceptance.Status != "accepted" || d.Summary.Accepted != 2 {
		t.Errorf("findings %+v, summary %+v", f, d.Summary)
	}
	s := readSARIF(t, sarifPath)
	for _, r := range *s.Runs[0].Results {
		if len(r.Suppressions) != 1 || r.Suppressions[0].Status != "accepted" {
			t.Errorf("%s: suppressions %+v", r.RuleID, r.Suppressions)
		}
	}
	_, table, _ := run(t, "", "scan", "-f", inForce, "--format", "table")
	if !strings.Contains(table, "[accepted until 2999-12-31: replacement ordered") {
		t.Errorf("table lacks the accepted marker:\n%s", table)
	}

	expired := g.write(t, "expired.yaml", "",
		entry{"expired", acceptFor("cert-expired", "2020-01-31", "replacement ordered, ticket OPS-7")},
		entry{"wrong-host", acceptFor("hostname-*", "2999-12-31", "legacy alias")})
	code, out, errOut = run(t, "", "scan", "-f", expired, "--format", "json", "--sarif", sarifPath, "--sarif-root", g.dir)
	if code != ExitFindings {
		t.Fatalf("expired acceptance passed the gate: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "gate failed: the accepted risk for cert-expired on expired ran out on 2020-01-31 (") ||
		!strings.Contains(errOut, "expired.yaml:") || !strings.Contains(errOut, "gate failed: 1 finding at or above --fail-on high") {
		t.Errorf("stderr does not say the acceptance expired:\n%s", errOut)
	}
	d = parseReport(t, out)
	if f := d.Results[0].Findings[0]; f.Accepted || f.Acceptance == nil || f.Acceptance.Status != "expired" || d.Summary.AcceptanceExpired != 1 {
		t.Errorf("finding %+v, summary %+v", f, d.Summary)
	}
	s = readSARIF(t, sarifPath)
	r := (*s.Runs[0].Results)[0]
	if r.RuleID != "cert-expired" || len(r.Suppressions) != 0 || !strings.Contains(r.Message.Text, "accepted risk ran out on 2020-01-31") {
		t.Errorf("expired result: %+v", r)
	}
}

// TestFingerprintsAcrossRunsAndEdits scans a targets file twice, then a
// copy with lines inserted above every target: each alert keeps its
// fingerprint (so GitHub keeps tracking it) while its line moves.
func TestFingerprintsAcrossRunsAndEdits(t *testing.T) {
	g := startGateLab(t, "expired", "wrong-host", "good")
	entries := []entry{{"expired", ""}, {"wrong-host", ""}}
	path := g.write(t, "targets.yaml", "", entries...)
	scan := func() (map[string]string, map[string]int) {
		t.Helper()
		out := filepath.Join(g.dir, "out.sarif")
		if code, _, errOut := run(t, "", "scan", "-f", path, "--format", "json", "-o", filepath.Join(g.dir, "r.json"), "--sarif", out, "--sarif-root", g.dir); code != ExitFindings {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		fps, lines := map[string]string{}, map[string]int{}
		for _, r := range *readSARIF(t, out).Runs[0].Results {
			k := r.RuleID + "@" + r.Properties["target"].(string)
			fps[k] = r.PartialFingerprints["primaryLocationLineHash"]
			lines[k] = r.Locations[0].PhysicalLocation.Region.StartLine
			if uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "targets.yaml" {
				t.Errorf("uri %q, want the targets file relative to --sarif-root", uri)
			}
		}
		return fps, lines
	}
	first, firstLines := scan()
	if len(first) != 2 {
		t.Fatalf("fingerprints %v", first)
	}
	again, _ := scan()
	if !maps.Equal(first, again) {
		t.Errorf("second run changed fingerprints:\n%v\n%v", first, again)
	}
	// A neighbour inserted above, and a comment at the top.
	g.write(t, "targets.yaml", "# TLS endpoints we own\n", append([]entry{{"good", ""}}, entries...)...)
	edited, editedLines := scan()
	if !maps.Equal(first, edited) {
		t.Errorf("inserting a target above changed fingerprints:\n%v\n%v", first, edited)
	}
	for k, l := range firstLines {
		if editedLines[k] != l+5 {
			t.Errorf("%s: line %d after the edit, was %d; want it moved down by 5", k, editedLines[k], l)
		}
	}
}

// TestBaseline checks that --baseline reports and gates on new findings
// only, and says how many were already known.
func TestBaseline(t *testing.T) {
	g := startGateLab(t, "expired", "wrong-host", "self-signed")
	path := g.write(t, "targets.yaml", "", entry{"expired", ""}, entry{"wrong-host", ""})
	baseline := filepath.Join(g.dir, "previous.json")
	if code, _, errOut := run(t, "", "scan", "-f", path, "-o", baseline); code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, out, errOut := run(t, "", "scan", "-f", path, "--format", "json", "--baseline", baseline)
	if code != ExitOK {
		t.Fatalf("known findings failed the gate: exit %d\n%s", code, errOut)
	}
	d := parseReport(t, out)
	if n := len(d.Results[0].Findings) + len(d.Results[1].Findings); n != 0 || d.Summary.BaselineKnown != 2 {
		t.Errorf("%d findings reported, summary %+v", n, d.Summary)
	}
	if !strings.Contains(errOut, "2 findings already known") {
		t.Errorf("stderr does not say how many were known: %s", errOut)
	}
	// A new endpoint with a problem: only its finding is reported, and it fails.
	path = g.write(t, "targets.yaml", "", entry{"expired", ""}, entry{"wrong-host", ""}, entry{"self-signed", ""})
	code, out, errOut = run(t, "", "scan", "-f", path, "--format", "json", "--baseline", baseline)
	if code != ExitFindings {
		t.Fatalf("new finding passed: exit %d\n%s", code, errOut)
	}
	d = parseReport(t, out)
	if len(d.Results[0].Findings)+len(d.Results[1].Findings) != 0 || len(d.Results[2].Findings) != 1 || d.Results[2].Findings[0].Check != "chain-self-signed" {
		t.Errorf("results %+v", d.Results)
	}
	bad := filepath.Join(g.dir, "bad.json")
	os.WriteFile(bad, []byte(`{"version":"2.1.0","runs":[]}`), 0o644)
	if code, _, errOut := run(t, "", "scan", "-f", path, "--baseline", bad); code != ExitUsage || !strings.Contains(errOut, "not a tlsaudit JSON report") {
		t.Errorf("bad baseline: exit %d, %s", code, errOut)
	}
}

// TestMinSeverity checks that --min-severity trims the report only: the
// gate and the summary still count what it leaves out.
func TestMinSeverity(t *testing.T) {
	g := startGateLab(t, "expiring-soon", "good")
	path := g.write(t, "targets.yaml", "", entry{"expiring-soon", ""}, entry{"good", ""})
	code, out, errOut := run(t, "", "scan", "-f", path, "--format", "json", "--min-severity", "high", "--fail-on", "medium")
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	d := parseReport(t, out)
	if len(d.Results[0].Findings) != 0 || d.Summary.Findings["medium"] != 1 || d.Summary.BelowMinSeverity != 1 {
		t.Errorf("results %+v, summary %+v", d.Results, d.Summary)
	}
	if !strings.Contains(errOut, "1 finding at or above --fail-on medium (1 below --min-severity high, so not in the report)") {
		t.Errorf("stderr: %s", errOut)
	}
	_, table, _ := run(t, "", "scan", "-f", path, "--format", "table", "--min-severity", "high", "--fail-on", "none")
	if !strings.Contains(table, "no findings at or above high") {
		t.Errorf("table:\n%s", table)
	}
	if code, _, _ := run(t, "", "scan", "-f", path, "--min-severity", "severe"); code != ExitUsage {
		t.Errorf("bad --min-severity: exit %d", code)
	}
}

// TestSARIFOutputs checks --format sarif and the --sarif side output:
// both written, the side output atomically next to -o, a clean scan's run
// with results [], and stand-in locations for command-line targets.
func TestSARIFOutputs(t *testing.T) {
	g := startGateLab(t, "good", "expired")
	clean := g.write(t, "ci/clean.yaml", "", entry{"good", ""})
	sarifPath := filepath.Join(g.dir, "clean.sarif")
	code, _, errOut := run(t, "", "scan", "-f", clean, "-o", filepath.Join(g.dir, "clean.json"), "--sarif", sarifPath, "--sarif-root", g.dir)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	s := readSARIF(t, sarifPath)
	if len(s.Runs) != 1 || s.Runs[0].Results == nil || len(*s.Runs[0].Results) != 0 || s.Runs[0].AutomationDetails.ID != "tlsaudit/ci/clean.yaml/" {
		t.Errorf("clean SARIF: %+v", s.Runs)
	}
	if _, err := os.Stat(filepath.Join(g.dir, "clean.json")); err != nil {
		t.Error("the -o report was not written next to --sarif")
	}

	ep := g.l.Endpoint("expired").Target()
	code, out, _ := run(t, "", "scan", ep.HostPort(), "--format", "sarif", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	loc := (*log.Runs[0].Results)[0].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != ".tlsaudit/command-line" || loc.Region.StartLine != 1 {
		t.Errorf("command-line target points at %+v", loc)
	}

	if code, _, errOut := run(t, "", "scan", "-f", clean, "-o", sarifPath, "--sarif", sarifPath); code != ExitUsage {
		t.Errorf("same file for -o and --sarif: exit %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "", "scan", "-f", clean, "--sarif", sarifPath, "--sarif-root", filepath.Join(g.dir, "nope")); code != ExitUsage {
		t.Errorf("missing --sarif-root: exit %d %s", code, errOut)
	}
	_, _, errOut = run(t, "", "scan", "-f", clean, "--sarif", sarifPath, "--sarif-root", filepath.Join(g.dir, "ci", "..", "ci"))
	if strings.Contains(errOut, "outside") {
		t.Errorf("warned about a file inside the root: %s", errOut)
	}
	_, _, errOut = run(t, "", "scan", "-f", clean, "--sarif", sarifPath, "--sarif-root", t.TempDir())
	if !strings.Contains(errOut, "warning: ") || !strings.Contains(errOut, "is outside") {
		t.Errorf("no warning for a targets file outside --sarif-root: %s", errOut)
	}
}

// TestEveryExitCode runs one scan ending in each exit code.
func TestEveryExitCode(t *testing.T) {
	g := startGateLab(t, "good", "expired")
	good := g.write(t, "good.yaml", "", entry{"good", ""})
	bad := g.write(t, "bad.yaml", "", entry{"expired", ""})
	dir := t.TempDir()
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"0 gate passed", []string{"scan", "-f", good, "--format", "json", "--sarif", filepath.Join(dir, "0.sarif")}, ExitOK},
		{"1 gate failed", []string{"scan", "-f", bad, "--format", "json", "--sarif", filepath.Join(dir, "1.sarif")}, ExitFindings},
		{"2 usage", []string{"scan", "-f", good, "--format", "xml"}, ExitUsage},
		{"2 bad targets file", []string{"scan", "-f", filepath.Join(dir, "missing.yaml")}, ExitUsage},
		{"3 report not writable", []string{"scan", "-f", good, "--format", "json", "--sarif", filepath.Join(dir, "no", "such", "dir", "x.sarif")}, ExitFailure},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if code, out, errOut := run(t, "", c.args...); code != c.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, c.code, out, errOut)
			}
		})
	}
	t.Run("130 interrupted", func(t *testing.T) {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(netx.ErrInterrupted) // as if Ctrl-C came before any target finished
		sarifPath := filepath.Join(dir, "130.sarif")
		var out, errOut bytes.Buffer
		code := MainContext(ctx, []string{"scan", "-f", bad, "--format", "json", "--sarif", sarifPath}, strings.NewReader(""), &out, &errOut)
		if code != ExitInterrupted {
			t.Fatalf("exit %d, want %d: %s", code, ExitInterrupted, errOut.String())
		}
		d := parseReport(t, out.String())
		if len(d.Results) != 1 || d.Results[0].Error == nil || d.Results[0].Error.Kind != "canceled" {
			t.Errorf("report of an interrupted scan: %+v", d.Results)
		}
		notes := readSARIF(t, sarifPath).Runs[0].Invocations[0].ToolExecutionNotifications
		if len(notes) != 1 || !strings.Contains(notes[0].Message.Text, "could not be scanned (canceled)") {
			t.Errorf("SARIF notifications: %+v", notes)
		}
	})
}

func TestHelpDocumentsExitCodes(t *testing.T) {
	code, out, _ := run(t, "", "scan", "--help")
	for _, want := range []string{"Exit codes:", "130", "accepted risk", "--baseline", "--min-severity", "--sarif-root"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("scan --help lacks %q", want)
		}
	}
}
