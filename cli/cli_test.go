package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/report"
)

// run calls Main as the shell would and returns exit code and streams.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// labFile starts the named lab endpoints and writes a targets file for
// them, as `tlsaudit lab` does.
func labFile(t *testing.T, names ...string) (string, *lab.Lab) {
	t.Helper()
	l, dir, ca := startLab(t, "ca.pem", names...)
	var b bytes.Buffer
	if err := l.WriteTargets(&b, ca); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, l
}

// startLab starts the named lab endpoints until the test ends, and writes
// the lab's root CA as caName into a new folder.
func startLab(t *testing.T, caName string, names ...string) (l *lab.Lab, dir, ca string) {
	t.Helper()
	l, err := lab.Start(lab.Options{Only: names})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	dir = t.TempDir()
	ca = filepath.Join(dir, caName)
	if err := os.WriteFile(ca, l.Env.PKI.Root.PEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	return l, dir, ca
}

type jsonDoc struct {
	Results []report.ResultJSON `json:"results"`
	Summary report.Summary      `json:"summary"`
}

func parseDoc(t *testing.T, out string) jsonDoc {
	t.Helper()
	var d jsonDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return d
}

func TestScanExitCodes(t *testing.T) {
	path, _ := labFile(t, "good", "expired", "wrong-host", "refused", "tls12-only")
	dir := t.TempDir()
	only := func(name string) string {
		// A targets file with one endpoint of the lab file, to test each
		// gate outcome on its own.
		data, _ := os.ReadFile(path)
		var keep []string
		blocks := strings.Split(string(data), "\n\n")
		for _, b := range blocks {
			if !strings.Contains(b, "- name:") || strings.Contains(b, `- name: "`+name+`"`) {
				keep = append(keep, b)
			}
		}
		p := filepath.Join(dir, name+".yaml")
		os.WriteFile(p, []byte(strings.Join(keep, "\n\n")), 0o644)
		return p
	}
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"good passes", []string{"scan", "-f", only("good")}, ExitOK},
		{"critical fails the default gate", []string{"scan", "-f", only("expired")}, ExitFindings},
		{"high fails the default gate", []string{"scan", "-f", only("wrong-host")}, ExitFindings},
		{"high passes --fail-on critical", []string{"scan", "-f", only("wrong-host"), "--fail-on", "critical"}, ExitOK},
		{"critical fails --fail-on critical", []string{"scan", "-f", only("expired"), "--fail-on", "critical"}, ExitFindings},
		{"--fail-on none never fails on findings", []string{"scan", "-f", only("expired"), "--fail-on", "none"}, ExitOK},
		{"unreachable fails the gate", []string{"scan", "-f", only("refused")}, ExitFindings},
		{"unreachable with --errors-fail=false", []string{"scan", "-f", only("refused"), "--errors-fail=false"}, ExitOK},
		{"skipping the check passes", []string{"scan", "-f", only("wrong-host"), "--skip", "hostname-*"}, ExitOK},
		{"bad --fail-on", []string{"scan", "-f", only("good"), "--fail-on", "severe"}, ExitUsage},
		{"unknown flag", []string{"scan", "--nope"}, ExitUsage},
		{"nothing to scan", []string{"scan"}, ExitUsage},
		{"unknown check", []string{"scan", "-f", only("good"), "--skip", "cert-expird"}, ExitUsage},
		{"unknown command", []string{"scna"}, ExitUsage},
		{"missing TLS 1.3 is low under intermediate", []string{"scan", "-f", only("tls12-only"), "--fail-on", "medium"}, ExitOK},
		{"--profile modern makes it medium", []string{"scan", "-f", only("tls12-only"), "--fail-on", "medium", "--profile", "modern"}, ExitFindings},
		{"bad --profile", []string{"scan", "-f", only("good"), "--profile", "paranoid"}, ExitUsage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, "", append(c.args, "--format", "json")...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errOut)
			}
			if c.code != ExitUsage {
				d := parseDoc(t, out)
				if len(d.Results) != 1 {
					t.Errorf("%d results, want 1", len(d.Results))
				}
			} else if !strings.Contains(errOut, "tlsaudit: error: ") {
				t.Errorf("stderr has no error line: %q", errOut)
			}
		})
	}
}

func TestScanJSONReport(t *testing.T) {
	path, _ := labFile(t, "good", "expired", "refused")
	code, out, errOut := run(t, "", "scan", "-f", path, "--format", "json", "--fail-on", "none", "--errors-fail=false")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	d := parseDoc(t, out)
	if len(d.Results) != 3 {
		t.Fatalf("%d results", len(d.Results))
	}
	// Input order, whatever finished first.
	for i, want := range []string{"good", "expired", "refused"} {
		if d.Results[i].Name != want {
			t.Errorf("result %d is %s, want %s", i, d.Results[i].Name, want)
		}
	}
	good, expired, refused := d.Results[0], d.Results[1], d.Results[2]
	if good.Status != "ok" || good.TLS == nil || good.Trust.Status != "trusted" || len(good.Chain) != 2 || good.Source == nil || good.Source.Line == 0 {
		t.Errorf("good = %+v", good)
	}
	if expired.Status != "findings" || expired.Findings[0].Check != "cert-expired" || expired.Findings[0].Evidence["not_after"] == "" {
		t.Errorf("expired = %+v", expired)
	}
	if refused.Status != "error" || refused.Error.Kind != "refused" {
		t.Errorf("refused = %+v", refused)
	}
	if !strings.Contains(errOut, "2 scanned, 1 unreachable or failed") {
		t.Errorf("no summary on stderr: %q", errOut)
	}
}

func TestScanInputErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("targets:\n  - host: a.example\n    port: 0\n"), 0o644)
	code, out, errOut := run(t, "", "scan", "-f", bad)
	if code != ExitUsage || out != "" || !strings.Contains(errOut, "bad.yaml:3:11: port: must be from 1 to 65535, got 0") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut = run(t, "", "scan", "-f", filepath.Join(dir, "missing.yaml"))
	if code != ExitUsage || !strings.Contains(errOut, "missing.yaml") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestScanStdinAndArgs(t *testing.T) {
	_, l := labFile(t, "good", "refused")
	good, refused := l.Endpoint("good"), l.Endpoint("refused")
	// By IP with no CA: untrusted, and the name does not match the IP.
	code, out, _ := run(t, good.Addr.String()+"\n# comment\n", "scan", "-f", "-", refused.Addr.String(), "--format", "jsonl", "--fail-on", "none")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	seen := map[string]string{}
	for _, line := range lines {
		var r report.LineJSON
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		seen[r.Name] = r.Status
		if r.Name == good.Addr.String() && (r.Source == nil || r.Source.File != "<stdin>" || r.Source.Line != 1) {
			t.Errorf("stdin target source = %+v", r.Source)
		}
	}
	if seen[good.Addr.String()] != "findings" || seen[refused.Addr.String()] != "error" {
		t.Errorf("statuses = %v", seen)
	}
}

func TestOutputFileIsAtomic(t *testing.T) {
	path, _ := labFile(t, "good")
	dir := t.TempDir()
	dst := filepath.Join(dir, "report.json")
	code, out, errOut := run(t, "", "scan", "-f", path, "-o", dst)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	data, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	parseDoc(t, string(data)) // -o without --format writes JSON
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	code, _, errOut = run(t, "", "scan", "-f", path, "-o", filepath.Join(dir, "no", "such", "dir", "r.json"))
	if code != ExitFailure || !strings.Contains(errOut, "create report") {
		t.Errorf("unwritable -o: exit %d, stderr %q", code, errOut)
	}
}

func TestTableOutput(t *testing.T) {
	path, _ := labFile(t, "good", "expired")
	code, out, _ := run(t, "", "scan", "-f", path, "--format", "table", "--fail-on", "none")
	if code != 0 || !strings.Contains(out, "CRITICAL") || !strings.Contains(out, "cert-expired") || !strings.Contains(out, "no findings") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour on a non-terminal with --color auto")
	}
	_, out, _ = run(t, "", "scan", "-f", path, "--format", "table", "--fail-on", "none", "--color", "always")
	if !strings.Contains(out, "\x1b[1;31mCRITICAL") {
		t.Error("--color always did not colour")
	}
}

func TestChecksCommand(t *testing.T) {
	code, out, _ := run(t, "", "checks")
	if code != 0 || !strings.Contains(out, "cert-expired") || !strings.Contains(out, "hostname-mismatch") {
		t.Errorf("exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "", "checks", "chain-incomplete")
	if code != 0 || !strings.Contains(out, "Remediation:") || !strings.Contains(out, "https://") {
		t.Errorf("exit %d\n%s", code, out)
	}
	code, _, _ = run(t, "", "checks", "no-such-check")
	if code != ExitUsage {
		t.Errorf("unknown check: exit %d", code)
	}
	code, out, _ = run(t, "", "checks", "--format", "json")
	var docs []checkDoc
	if code != 0 || json.Unmarshal([]byte(out), &docs) != nil || len(docs) == 0 || docs[0].Remediation == "" {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestDemo(t *testing.T) {
	code, out, errOut := run(t, "", "demo", "--only", "good,expired,refused,wrong-host", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if d := parseDoc(t, out); len(d.Results) != 4 {
		t.Errorf("%d results", len(d.Results))
	}
	if !strings.Contains(errOut, "all 4 lab endpoints gave exactly the findings") {
		t.Errorf("stderr: %s", errOut)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "tlsaudit ") {
		t.Errorf("exit %d, %q", code, out)
	}
	code, out, _ = run(t, "", "--help")
	if code != 0 || !strings.Contains(out, "Exit codes:") {
		t.Errorf("help lacks exit codes: %s", out)
	}
}
