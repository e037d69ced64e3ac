package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputNeverOverwritesAnInput checks that -o or --sarif naming an
// input (a targets file, directly, through another path or a symbolic
// link, or the baseline) is a usage error that leaves the input alone.
func TestOutputNeverOverwritesAnInput(t *testing.T) {
	dir := t.TempDir()
	hosts := filepath.Join(dir, "hosts.txt")
	yaml := filepath.Join(dir, "targets.yaml")
	const content = "127.0.0.1:1\n"
	for _, p := range []string{hosts, yaml} {
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(hosts, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.txt")
	if err := os.Link(hosts, hard); err != nil {
		t.Fatal(err)
	}
	baseline := filepath.Join(dir, "baseline.json")
	if err := os.WriteFile(baseline, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"-o is the second -f", []string{"-f", yaml, "-f", hosts, "-o", hosts}},
		{"--sarif is -f", []string{"-f", hosts, "--sarif", hosts}},
		{"a hard link", []string{"-f", hosts, "-o", hard}},
		{"a symbolic link", []string{"-f", link, "-o", hosts}},
		{"the baseline", []string{"-f", hosts, "--baseline", baseline, "-o", baseline}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := run(t, "", append([]string{"scan", "--format", "json"}, c.args...)...)
			if code != ExitUsage || !strings.Contains(errOut, "is the same file as") {
				t.Errorf("exit %d, want %d\n%s", code, ExitUsage, errOut)
			}
			if data, _ := os.ReadFile(hosts); string(data) != content {
				t.Errorf("the targets file was overwritten: %q", data)
			}
		})
	}
}

// TestMergeNeverOverwritesAReport checks the same rule for merge: -o or
// --sarif naming one of the reports read is a usage error.
func TestMergeNeverOverwritesAReport(t *testing.T) {
	report := filepath.Join(t.TempDir(), "shard.json")
	const content = `{"schema_version": "1", "results": []}`
	os.WriteFile(report, []byte(content), 0o644)
	for _, flag := range []string{"-o", "--sarif"} {
		code, _, errOut := run(t, "", "merge", report, flag, report, "--format", "json")
		if code != ExitUsage || !strings.Contains(errOut, "is the same file as report") {
			t.Errorf("%s: exit %d\n%s", flag, code, errOut)
		}
	}
	if data, _ := os.ReadFile(report); string(data) != content {
		t.Errorf("the report was overwritten: %q", data)
	}
}
