package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepeatedInputs checks that one targets file given twice is a usage
// error (every target would be scanned twice), and that a target named in
// two different inputs is scanned in each, with a warning naming both.
func TestRepeatedInputs(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	b := filepath.Join(dir, "b.txt")
	os.WriteFile(a, []byte("127.0.0.1:1\n127.0.0.1:2\n"), 0o644)
	os.WriteFile(b, []byte("# shared\n127.0.0.1:2\n"), 0o644)
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-f", a, "-f", a}, {"-f", a, "-f", link}, {"-f", "-", "-f", "-"}} {
		code, out, errOut := run(t, "127.0.0.1:3\n", append([]string{"scan", "--format", "json"}, args...)...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, "twice") && !strings.Contains(errOut, "are the same file") {
			t.Errorf("%v: exit %d, want %d\n%s", args, code, ExitUsage, errOut)
		}
	}

	code, out, errOut := run(t, "", "scan", "--format", "json", "--fail-on", "none", "-f", a, "-f", b, "127.0.0.1:1")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		`warning: target "127.0.0.1:2" (` + b + `:2) is also in ` + a + `:2;`,
		`warning: target "127.0.0.1:1" (the command line) is also in ` + a + `:1;`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if n := len(parseDoc(t, out).Results); n != 4 {
		t.Errorf("%d results, want 4 (each input scans its own)", n)
	}
}
