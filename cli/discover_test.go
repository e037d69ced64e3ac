package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/targets"
)

const sampleApp = "../testdata/sampleapp"

// TestDiscoverWritesAndMerges runs discover twice into the same file, with
// a user's edit in between: the second run keeps the edit.
func TestDiscoverWritesAndMerges(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "targets.yaml")
	code, stdout, stderr := run(t, "", "discover", sampleApp, "--keep", "*.tlsaudit.test", "-o", out)
	if code != ExitOK || stdout != "" {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, want := range []string{
		"tlsaudit: ../testdata/sampleapp/lib/api/client.dart:15:12: high code-tls-verification-disabled: badCertificateCallback returns true",
		"tlsaudit: discover: read 15 files",
		"8 hosts (named in 16 places)",
		"24 code findings",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	f, err := targets.Load(out, targets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Targets) != 8 {
		t.Fatalf("%d targets", len(f.Targets))
	}
	// Sources are written relative to the targets file and resolve back to
	// the sample's files.
	good := f.Targets[3]
	if good.Host != "good.tlsaudit.test" || len(good.Sources) != 4 {
		t.Fatalf("good = %+v", good)
	}
	if got := good.Sources[2]; got.Line != 4 || !sameFile(got.File, filepath.Join(sampleApp, "lib/config.dart")) {
		t.Errorf("good's third source = %v", got)
	}

	// The user annotates the file; discover runs again.
	data, _ := os.ReadFile(out)
	edited := strings.Replace(string(data), "  - host: good.tlsaudit.test\n", "  # The main API.\n  - host: good.tlsaudit.test   # prod\n    tags: [prod]\n", 1)
	edited += "\n  - host: mine.example.net\n"
	if err := os.WriteFile(out, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, "", "discover", sampleApp, "--keep", "*.tlsaudit.test", "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	merged, _ := os.ReadFile(out)
	if string(merged) != edited {
		t.Errorf("a second discover changed the user's file:\n%s\nwant:\n%s", merged, edited)
	}
	if !strings.Contains(stderr, "0 added, 0 updated, 8 unchanged") {
		t.Errorf("stderr: %s", stderr)
	}
}

func TestDiscoverUsage(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"discover"}, ExitUsage, "needs one PATH"},
		{[]string{"discover", "/nonexistent/app"}, ExitUsage, "no such file"},
		{[]string{"discover", sampleApp, "--drop", "not a host"}, ExitUsage, "--drop"},
		{[]string{"discover", sampleApp, "--skip", "code-nope"}, ExitUsage, "matches no check"},
		{[]string{"discover", sampleApp, "-o", t.TempDir()}, ExitUsage, "is a folder; give a file name"},
		{[]string{"scan", "--discover", "/nonexistent/app"}, ExitUsage, "no such file"},
		{[]string{"scan", "--drop", "x.example.net", "a.example.net"}, ExitUsage, "--drop applies to --discover"},
	}
	for _, c := range cases {
		code, _, stderr := run(t, "", c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
	code, stdout, _ := run(t, "", "discover", "--list-drops")
	if code != ExitOK || !strings.Contains(stdout, "*.test\n") || !strings.Contains(stdout, "schemas.android.com\n") {
		t.Errorf("--list-drops: exit %d\n%s", code, stdout)
	}
}

// labRetarget is the test seam that points discovered names at the lab's
// endpoints on loopback; a name the lab does not serve is an error.
func labRetarget(t *testing.T, l *lab.Lab) func(*scanner.Target) {
	return func(tg *scanner.Target) {
		for _, ep := range l.Endpoints {
			if l.Env.ServerName(ep.Name) == tg.Host {
				tg.Addr, tg.Port = ep.Addr.Addr(), int(ep.Addr.Port())
				return
			}
		}
		t.Errorf("discovered %s is not a lab endpoint: the test would dial outside the lab", tg.Host)
		tg.Addr = netip.MustParseAddr("127.0.0.1")
		tg.Port = 1
	}
}

// TestScanDiscover is the end-to-end path: discover the sample app, scan
// the lab endpoints it names (the test seam points their names at the lab
// on loopback), and report code findings and host results together.
func TestScanDiscover(t *testing.T) {
	l, err := lab.Start(lab.Options{Only: []string{"good", "expired", "wrong-host", "self-signed", "app-pin-stale"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, l.Env.PKI.Root.PEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	env := &environment{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, retarget: labRetarget(t, l)}
	sarifPath := filepath.Join(t.TempDir(), "report.sarif")
	code := execute(context.Background(), env, []string{"scan", "--discover", sampleApp, "--keep", "*.tlsaudit.test",
		"--drop", "legacy.shop-api.com,cdn.shop-assets.com,partner.tlsaudit.test", "--ca", ca, "--format", "json",
		"--sarif", sarifPath, "--sarif-root", sampleApp})
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d (high code findings)\nstderr: %s", code, ExitFindings, errOut.String())
	}
	d := parseDoc(t, out.String())
	if len(d.Results) != 6 {
		t.Fatalf("%d results, want the source tree and 5 hosts", len(d.Results))
	}
	src := d.Results[0]
	// 24 findings, less the three cleartext URLs of the hosts dropped above.
	if src.SourceTree != sampleApp || len(src.Findings) != 21 || src.Findings[0].Location == nil {
		t.Fatalf("source result = %+v", src)
	}
	fired := map[string][]string{}
	for _, r := range d.Results[1:] {
		if r.Error != nil {
			t.Errorf("%s: %v", r.Name, r.Error)
		}
		for _, f := range r.Findings {
			id := f.Check
			if f.Location != nil {
				id += "@" + strings.TrimPrefix(f.Location.String(), sampleApp+"/")
			}
			fired[r.Name] = append(fired[r.Name], id)
		}
		slices.Sort(fired[r.Name])
	}
	want := map[string][]string{
		"app-pin-stale.tlsaudit.test:443": {"code-pin-mismatch@android/app/src/main/res/xml/network_security_config.xml:13:9"},
		"expired.tlsaudit.test:443":       {"cert-expired", "code-pin-mismatch@android/app/src/main/kotlin/com/example/shop/Network.kt:16:10"},
		"good.tlsaudit.test:443":          {"code-pin-mismatch@lib/api/client.dart:12:9"},
		"self-signed.tlsaudit.test:8443":  {"chain-self-signed"},
		"wrong-host.tlsaudit.test:443":    {"hostname-mismatch"},
	}
	for name, ids := range want {
		if !slices.Equal(fired[name], ids) {
			t.Errorf("%s fired %v, want %v", name, fired[name], ids)
		}
	}
	for _, r := range d.Results {
		if r.Name == "good.tlsaudit.test:443" && (len(r.Sources) != 4 || r.Sources[0].String() != sampleApp+"/.env:2") {
			t.Errorf("good's sources = %v", r.Sources)
		}
	}
	if d.Summary.SourceTrees != 1 || d.Summary.Scanned != 5 {
		t.Errorf("summary = %+v", d.Summary)
	}
	if !strings.Contains(errOut.String(), "tlsaudit: discover: read 15 files") {
		t.Errorf("stderr: %s", errOut.String())
	}

	// SARIF: one run for the app, code findings at their lines, host
	// results at the first line naming the host (relative to the app,
	// given as --sarif-root), pin mismatches at the pins.
	data, err := os.ReadFile(sarifPath)
	if err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Runs []struct {
			AutomationDetails struct{ ID string }
			Results           []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
					LogicalLocations []struct{ Name string }
				}
			}
		}
	}
	if err := json.Unmarshal(data, &sarif); err != nil {
		t.Fatal(err)
	}
	if len(sarif.Runs) != 1 || sarif.Runs[0].AutomationDetails.ID != "tlsaudit/./" {
		t.Fatalf("runs = %+v", sarif.Runs)
	}
	at := map[string]bool{}
	for _, r := range sarif.Runs[0].Results {
		l := r.Locations[0]
		name, _, _ := strings.Cut(l.LogicalLocations[0].Name, ":") // the lab's port, from the seam
		at[fmt.Sprintf("%s %s:%d %s", r.RuleID, l.PhysicalLocation.ArtifactLocation.URI, l.PhysicalLocation.Region.StartLine, name)] = true
	}
	for _, want := range []string{
		"code-tls-verification-disabled lib/api/client.dart:15 " + sampleApp,
		"code-cleartext-allowed ios/Runner/Info.plist:11 " + sampleApp,
		"hostname-mismatch ios/Runner/Info.plist:8 wrong-host.tlsaudit.test",
		"chain-self-signed backend/config.yaml:3 self-signed.tlsaudit.test",
		"code-pin-mismatch lib/api/client.dart:12 good.tlsaudit.test",
		"cert-expired android/app/src/main/kotlin/com/example/shop/Network.kt:10 expired.tlsaudit.test",
	} {
		if !at[want] {
			t.Errorf("SARIF lacks %q; has:\n%v", want, at)
		}
	}
	if len(at) != 21+6 {
		t.Errorf("%d SARIF results, want 21 code findings and 6 host findings", len(at))
	}
}
