//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOutputThroughSymlink checks that -o to a symlink writes the file it
// points at and leaves the link a link: renaming over /dev/stdout (a link
// to /proc/self/fd/1) once replaced the machine's device node.
func TestOutputThroughSymlink(t *testing.T) {
	path, _ := labFile(t, "good")
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json")
	if err := os.WriteFile(real, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "", "scan", "-f", path, "-o", link); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", st.Mode(), err)
	}
	st, err := os.Stat(real)
	if err != nil || st.Size() == 0 {
		t.Fatalf("nothing written where the link points: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("replacing the report changed its mode to %v", st.Mode().Perm())
	}
	if code, _, errOut := run(t, "", "scan", "-f", path, "-o", dir); code != ExitUsage {
		t.Errorf("-o a folder: exit %d, want %d (%s)", code, ExitUsage, errOut)
	}
}
