package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/lab"
)

// TestScanDiscoverPlatforms: scan --discover declares the app's minimum
// platform (minSdk 24 in its Gradle file) as the clients of the hosts it
// names, so a TLS 1.3-only host fails the app's Android 7.0-9 clients at
// high severity, and the finding (JSON and SARIF) points at the minSdk
// line.
func TestScanDiscoverPlatforms(t *testing.T) {
	l, err := lab.Start(lab.Options{Only: []string{"tls13-only"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	tmp := t.TempDir()
	ca := filepath.Join(tmp, "ca.pem")
	if err := os.WriteFile(ca, l.Env.PKI.Root.PEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(tmp, "app")
	for name, content := range map[string]string{
		"android/app/build.gradle":           "android {\n    defaultConfig {\n        applicationId \"com.example\"\n        minSdk 24\n    }\n}\n",
		"android/app/src/main/kotlin/Api.kt": "val base = \"https://tls13-only.tlsaudit.test/v1\"\n",
	} {
		p := filepath.Join(app, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	env := &environment{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, retarget: labRetarget(t, l)}
	sarifPath := filepath.Join(tmp, "report.sarif")
	code := execute(context.Background(), env, []string{"scan", "--discover", app, "--keep", "*.tlsaudit.test", "--ca", ca,
		"--format", "json", "--sarif", sarifPath, "--sarif-root", app})
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d\nstderr: %s", code, ExitFindings, errOut.String())
	}
	if !strings.Contains(errOut.String(), "; supports android-24+ ("+filepath.ToSlash(app)+"/android/app/build.gradle:4:16)") {
		t.Errorf("the discover summary does not name the platform:\n%s", errOut.String())
	}
	d := parseDoc(t, out.String())
	var found bool
	for _, r := range d.Results {
		for _, f := range r.Findings {
			if f.Check != "client-incompatible" || f.Severity != "high" {
				continue
			}
			found = true
			if f.Location == nil || f.Location.String() != filepath.ToSlash(app)+"/android/app/build.gradle:4:16" {
				t.Errorf("client-incompatible at %v, want the minSdk line", f.Location)
			}
			if !strings.Contains(f.Message, "android-24") {
				t.Errorf("message %q does not name android-24", f.Message)
			}
		}
	}
	if !found {
		t.Fatalf("no high client-incompatible finding:\n%s", out.String())
	}
	s := readSARIF(t, sarifPath)
	var at []string
	for _, r := range *s.Runs[0].Results {
		if r.RuleID == "client-incompatible" {
			pl := r.Locations[0].PhysicalLocation
			at = append(at, fmt.Sprintf("%s:%d", pl.ArtifactLocation.URI, pl.Region.StartLine))
		}
	}
	if !slices.Contains(at, "android/app/build.gradle:4") {
		t.Errorf("SARIF client-incompatible results at %v, none at the minSdk line", at)
	}
}
