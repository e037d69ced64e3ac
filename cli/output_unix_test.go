//go:build unix

package cli

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestOutputToPipe checks that -o and --sarif to something that is not a
// regular file (here a named pipe; /dev/null in CI scripts) write into it
// rather than renaming a temporary file over it, which would replace the
// device with a plain file.
func TestOutputToPipe(t *testing.T) {
	path, _ := labFile(t, "good")
	fifo := filepath.Join(t.TempDir(), "report.pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	code, _, errOut := run(t, "", "scan", "-f", path, "--format", "sarif", "-o", fifo)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// Checked first: if the pipe was replaced, the reader waits forever.
	st, err := os.Lstat(fifo)
	if err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the pipe was replaced: %v %v", st.Mode(), err)
	}
	if b := <-got; len(b) == 0 {
		t.Error("nothing written to the pipe")
	}
	entries, _ := os.ReadDir(filepath.Dir(fifo))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
