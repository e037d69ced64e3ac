//go:build unix

package targets

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func haveDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
}

// TestDevicesRefused: --ca, ca:, --client-cert and -f naming /dev/zero
// fail at once, naming it, instead of reading without end.
func TestDevicesRefused(t *testing.T) {
	haveDevZero(t)
	const want = "/dev/zero: not a regular file or a pipe (a character device)"
	if _, err := LoadCA("/dev/zero"); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("LoadCA: %v", err)
	}
	if _, err := LoadClientCert("/dev/zero", "/dev/zero"); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("LoadClientCert: %v", err)
	}
	p := write(t, "t.yaml", "targets:\n  - host: a.example.net\n    ca: /dev/zero\n")
	if _, err := Load(p, opts()); err == nil || !strings.Contains(err.Error(), "t.yaml:3:9: ca: cannot read CA file: "+want) {
		t.Errorf("ca: %v", err)
	}
	for _, name := range []string{"/dev/zero", "/dev/null"} {
		if _, err := Open(name, opts()); err == nil || !strings.Contains(err.Error(), name+": not a regular file or a pipe") {
			t.Errorf("Open(%s): %v", name, err)
		}
	}
}

// TestFIFOWithoutWriterTargets: a FIFO nobody writes to, as a line list
// or YAML, is an empty file, not a hang.
func TestFIFOWithoutWriterTargets(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"hosts.txt", "t.yaml"} {
		fifo := filepath.Join(dir, name)
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		if _, err := Open(fifo, opts()); err == nil || !strings.Contains(err.Error(), "no targets") && !strings.Contains(err.Error(), "empty targets file") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestProcessSubstitutionTargets: `-f <(cmd)` names a pipe (/dev/fd/N),
// which can be read once: it is spooled, validated and then scanned.
func TestProcessSubstitutionTargets(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	name := fmt.Sprintf("/dev/fd/%d", r.Fd())
	if _, err := os.Stat(name); err != nil {
		t.Skipf("no %s", name)
	}
	go func() {
		w.WriteString("a.example.net\nb.example.net:8443\n")
		w.Close()
	}()
	src, err := Open(name, opts())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if got := names(src.All()); strings.Join(got, " ") != "0:a.example.net:443 1:b.example.net:8443" || src.Err() != nil {
		t.Errorf("targets %v, err %v", got, src.Err())
	}
}

// TestSpooledListLeavesNoFile: the copy of a list read from standard input
// or a pipe has no name once Open returns, so that however the process
// ends (a second Ctrl-C exits without unwinding, a kill) no copy of the
// user's hosts stays in $TMPDIR; it is still read again by All.
func TestSpooledListLeavesNoFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	o := opts()
	o.Stdin = strings.NewReader("a.example.net\nb.example.net:8443\na.example.net:8443\n")
	src, err := Open("-", o)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("left in $TMPDIR while the scan runs: %v", entries)
	}
	for range 2 {
		if got := names(src.All()); strings.Join(got, " ") != "0:a.example.net:443 1:b.example.net:8443 2:a.example.net:8443" || src.Err() != nil {
			t.Errorf("targets %v, err %v", got, src.Err())
		}
	}
	if err := src.Close(); err != nil {
		t.Error(err)
	}
}
