package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolveVersion(t *testing.T) {
	info := func(main string, settings ...debug.BuildSetting) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Main: debug.Module{Version: main}, Settings: settings}, true
		}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123"}
	for _, tc := range []struct {
		name, release string
		bi            func() (*debug.BuildInfo, bool)
		want          string
	}{
		{"release build flags win", "v1.2.3", info("v1.0.0"), "v1.2.3"},
		{"go install of a tag", "", info("v1.0.0", rev), "v1.0.0"},
		{"checkout with VCS", "", info("(devel)", rev), "dev-0123456789ab"},
		{"checkout without VCS", "", info("(devel)"), "dev"},
		{"no build info", "", func() (*debug.BuildInfo, bool) { return nil, false }, "dev"},
	} {
		if got := resolveVersion(tc.release, tc.bi); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestVersionAgrees checks that the one version string reaches every place
// that shows it: `version`, --version, the JSON report's tool and SARIF's
// tool.driver. .ci/run checks the same on a release build's binary.
func TestVersionAgrees(t *testing.T) {
	old := version
	version = "v9.8.7-test"
	t.Cleanup(func() { version = old })

	code, out, errOut := run(t, "", "version")
	if code != 0 || out != "tlsaudit v9.8.7-test\n" {
		t.Fatalf("version: exit %d, %q %s", code, out, errOut)
	}
	code, out2, errOut := run(t, "", "--version")
	if code != 0 || out2 != out {
		t.Fatalf("--version: exit %d, %q, want %q %s", code, out2, out, errOut)
	}

	targets, _ := labFile(t, "good")
	dir := t.TempDir()
	jsonPath, sarifPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.sarif")
	if code, _, errOut := run(t, "", "scan", "-f", targets, "--format", "json", "-o", jsonPath, "--sarif", sarifPath); code != 0 {
		t.Fatalf("scan: exit %d\n%s", code, errOut)
	}
	var doc struct {
		Tool struct{ Name, Version string } `json:"tool"`
	}
	readJSON(t, jsonPath, &doc)
	var sarif struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Name, Version string } `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	readJSON(t, sarifPath, &sarif)
	if doc.Tool.Version != "v9.8.7-test" {
		t.Errorf("JSON tool.version = %q", doc.Tool.Version)
	}
	if len(sarif.Runs) == 0 || sarif.Runs[0].Tool.Driver.Version != "v9.8.7-test" {
		t.Errorf("SARIF runs = %+v", sarif.Runs)
	}
	if !strings.Contains(out, doc.Tool.Version) {
		t.Errorf("version says %q, JSON %q", out, doc.Tool.Version)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
