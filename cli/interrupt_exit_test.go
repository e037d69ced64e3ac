package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// forcedExitDir names, in the environment of a child test process, the
// folder its reports go to (see TestForcedExitHelper).
const forcedExitDir = "TLSAUDIT_TEST_FORCED_EXIT_DIR"

// TestSecondInterruptRemovesPartialReports sends two real SIGTERMs to a
// child process whose scan is stuck writing its report (standard output
// blocks) while its --sarif report waits in a temporary file: the second
// signal ends the process at once, and the temporary file must go with it.
func TestSecondInterruptRemovesPartialReports(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	out := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestForcedExitHelper$", "-test.v")
	// The child ends by os.Exit, before its own temporary folders are
	// cleaned: they go under this test's.
	cmd.Env = append(os.Environ(), forcedExitDir+"="+out, "TMPDIR="+t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	waitFor := func(what string) {
		t.Helper()
		for lines.Scan() {
			if strings.Contains(lines.Text(), what) {
				return
			}
		}
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child never said %q", what)
	}
	waitFor("report writer blocked")
	if entries, _ := os.ReadDir(out); len(entries) == 0 {
		t.Fatal("no temporary report while the scan runs")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	waitFor("interrupt again to quit at once")
	cmd.Process.Signal(syscall.SIGTERM)
	go io.Copy(io.Discard, stderr)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted {
		t.Errorf("exit %d, want %d", code, ExitInterrupted)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
}

// stuckWriter blocks forever, once it has said so on standard error.
type stuckWriter struct{}

func (stuckWriter) Write([]byte) (int, error) {
	fmt.Fprintln(os.Stderr, "report writer blocked")
	select {}
}

// TestForcedExitHelper is the child of
// TestSecondInterruptRemovesPartialReports: a scan with real signal
// handling whose JSON Lines report blocks on its first result.
func TestForcedExitHelper(t *testing.T) {
	dir := os.Getenv(forcedExitDir)
	if dir == "" {
		t.Skip("run by TestSecondInterruptRemovesPartialReports")
	}
	addr, ca := wildcardFleet(t)
	list := filepath.Join(t.TempDir(), "hosts.txt")
	os.WriteFile(list, []byte(addr+" "+wildcardName(0)+"\n"), 0o644)
	env := &environment{stdin: strings.NewReader(""), stdout: stuckWriter{}, stderr: os.Stderr}
	code := execute(context.Background(), env, []string{"scan", "-f", list, "--ca", ca, "--format", "jsonl",
		"--sarif", filepath.Join(dir, "out.sarif"), "--progress=never"})
	t.Fatalf("the scan returned (exit %d) instead of being ended", code)
}
