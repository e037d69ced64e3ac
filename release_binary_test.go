package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReleaseBinaryVersion checks a release build's binary (.ci/run builds
// a GoReleaser snapshot and names it in TLSAUDIT_RELEASE_BINARY): the
// version its build flags set is what `version` and --version print and
// what its JSON and SARIF reports name as the tool's version.
func TestReleaseBinaryVersion(t *testing.T) {
	bin := os.Getenv("TLSAUDIT_RELEASE_BINARY")
	if bin == "" {
		t.Skip("set TLSAUDIT_RELEASE_BINARY to a release build's binary (.ci/run does)")
	}
	out := func(args ...string) string {
		t.Helper()
		b, err := exec.Command(bin, args...).Output()
		if err != nil {
			t.Fatalf("%s %s: %v", bin, strings.Join(args, " "), err)
		}
		return string(b)
	}
	line := out("version")
	version, ok := strings.CutPrefix(strings.TrimSpace(line), "tlsaudit ")
	if !ok || !strings.HasPrefix(version, "v") || strings.HasPrefix(version, "dev") {
		t.Fatalf("version prints %q; want tlsaudit vX.Y.Z from the build flags", line)
	}
	if got := out("--version"); got != line {
		t.Errorf("--version prints %q, version %q", got, line)
	}
	dir := t.TempDir()
	jsonPath, sarifPath := filepath.Join(dir, "demo.json"), filepath.Join(dir, "demo.sarif")
	out("demo", "--format", "json", "-o", jsonPath)
	out("demo", "--format", "sarif", "-o", sarifPath)
	var doc struct {
		Tool struct{ Version string } `json:"tool"`
	}
	var sarif struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Version string } `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	for path, v := range map[string]any{jsonPath: &doc, sarifPath: &sarif} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if doc.Tool.Version != version {
		t.Errorf("JSON tool.version = %q, want %q", doc.Tool.Version, version)
	}
	if len(sarif.Runs) == 0 || sarif.Runs[0].Tool.Driver.Version != version {
		t.Errorf("SARIF tool.driver.version = %+v, want %q", sarif.Runs, version)
	}
}
