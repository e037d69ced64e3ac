package targets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileCacheReadsOnce: loads sharing a FileCache read a CA file once,
// so the file may be gone by the second load, and each load still reports
// a file that could not be read, where it is written.
func TestFileCacheReadsOnce(t *testing.T) {
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, selfSignedPEM(t), 0o644); err != nil {
		t.Fatal(err)
	}
	list := write(t, "list.txt", "a.example\nb.example\n")
	o := opts()
	o.Files = NewFileCache()
	o.Flags.CA = &ca
	if err := CheckFlags(o); err != nil {
		t.Fatal(err)
	}
	os.Remove(ca)
	src, err := Open(list, o)
	if err != nil {
		t.Fatalf("Open after the CA file went: %v", err)
	}
	for tg := range src.All() {
		if tg.Roots == nil {
			t.Errorf("%s has no roots", tg.Name)
		}
	}
	if _, err := FromArgs([]string{"c.example"}, o); err != nil {
		t.Errorf("FromArgs after the CA file went: %v", err)
	}

	yaml := write(t, "t.yaml", "targets:\n  - host: a.example\n    ca: missing.pem\n")
	o.Flags.CA = nil
	for range 2 {
		if _, err := Load(yaml, o); err == nil || !strings.Contains(err.Error(), "t.yaml:3:9: ca: cannot read CA file:") {
			t.Errorf("a missing CA file, cached: %v", err)
		}
	}
}

// TestCheckFlagsNamesFlags: a bad setting given as a flag is reported
// under the flag's name, not the targets-file field's.
func TestCheckFlagsNamesFlags(t *testing.T) {
	o := opts()
	zero, days, pin, proto, missing := Duration(0), -1, "abc", "gopher", "/nonexistent/ca.pem"
	o.Flags = Settings{Timeout: &zero, ExpiryWarnDays: &days, Pins: []string{pin}, Protocol: &proto, CA: &missing, SkipChecks: []string{"cert-expird"}}
	err := CheckFlags(o)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"--timeout: must be longer than zero", "--expiry-days: must not be negative", `--pin: "abc"`,
		"--protocol: must be https", "--ca: cannot read CA file: /nonexistent/ca.pem", `--skip: "cert-expird" matches no check`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := FromArgs([]string{"a.example"}, o); err == nil || !strings.Contains(err.Error(), "--timeout:") {
		t.Errorf("FromArgs with bad flags: %v", err)
	}
}
