//go:build unix

package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/report"
)

// TestMergeOpensReportsAsInputs: a report given to merge or --baseline is
// opened as any file a user names: a device or a folder is refused (exit
// 2, naming it), a FIFO without a writer is an empty file rather than a
// hang, and a pipe (process substitution) is read.
func TestMergeOpensReportsAsInputs(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "shard.jsonl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	cases := []struct{ path, want string }{
		{"/dev/zero", "not a regular file or a pipe (a character device)"},
		{dir, "not a regular file or a pipe (a directory)"},
		{fifo, "not a tlsaudit"},
	}
	for _, c := range cases {
		for _, args := range [][]string{{"merge", c.path}, {"scan", "127.0.0.1:1", "--baseline", c.path}} {
			done := make(chan struct{})
			var code int
			var errOut string
			go func() {
				defer close(done)
				code, _, errOut = run(t, "", args...)
			}()
			select {
			case <-done:
			case <-time.After(time.Minute): // a hang, not a slow machine
				t.Fatalf("%v: still running", args)
			}
			if code != ExitUsage || !strings.Contains(errOut, c.want) {
				t.Errorf("%v: exit %d, want %d and %q\n%s", args, code, ExitUsage, c.want, errOut)
			}
		}
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	name := fmt.Sprintf("/dev/fd/%d", r.Fd())
	if _, err := os.Stat(name); err != nil {
		t.Skipf("no %s", name)
	}
	data, err := os.ReadFile(writeLines(t, "a.jsonl", "", resultWith(0, "a.example", report.FindingJSON{Check: "cert-expired", Severity: "critical"})))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		w.Write(data)
		w.Close()
	}()
	code, out, errOut := run(t, "", "merge", name, "--format", "jsonl", "--fail-on", "none")
	if code != ExitOK || !strings.Contains(out, "a.example") {
		t.Errorf("merge <(cat report): exit %d\n%s\n%s", code, out, errOut)
	}
}
