//go:build unix

package cli

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// discoverExitDir names, in the environment of a child test process, the
// folder of its app tree, FIFO and targets file (see
// TestDiscoverForcedExitHelper).
const discoverExitDir = "TLSAUDIT_TEST_DISCOVER_EXIT_DIR"

// TestDiscoverSecondInterruptRemovesTargetsFile: `discover -o FILE` writes
// FILE through a temporary file next to it. A child process is held in
// the middle of reading the tree (its --drop-file is a FIFO whose writer
// never writes); a first SIGTERM asks it to stop, a second one ends it at
// once, and the temporary file must go with it. Released after the first
// signal instead, it stops reading and exits 130 with no file either.
func TestDiscoverSecondInterruptRemovesTargetsFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	for _, second := range []bool{true, false} {
		discoverInterrupted(t, second)
	}
}

func discoverInterrupted(t *testing.T, second bool) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app")
	os.MkdirAll(filepath.Join(app, "lib"), 0o755)
	os.WriteFile(filepath.Join(app, "lib", "a.dart"), []byte("const api = 'https://api.example-app.com/v1';\n"), 0o644)
	out := filepath.Join(dir, "out")
	os.MkdirAll(out, 0o755)
	fifo := filepath.Join(dir, "drops")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	// A writer that never writes: the child's read of the FIFO waits.
	w, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Skipf("open fifo: %v", err)
	}
	defer w.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestDiscoverForcedExitHelper$", "-test.v")
	cmd.Env = append(os.Environ(), discoverExitDir+"="+dir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// The temporary targets file appears once the child holds it.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if entries, _ := os.ReadDir(out); len(entries) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the child never created its targets file")
		}
	}
	lines := bufio.NewScanner(stderr)
	cmd.Process.Signal(syscall.SIGTERM)
	said := false
	for lines.Scan() {
		if strings.Contains(lines.Text(), "interrupt again to quit at once") {
			said = true
			break
		}
	}
	if !said {
		cmd.Wait()
		t.Fatalf("the child did not handle the first signal (exit %d)", cmd.ProcessState.ExitCode())
	}
	if second {
		cmd.Process.Signal(syscall.SIGTERM)
	} else {
		w.Close() // the drop file ends; the child reads on, and stops
	}
	go io.Copy(io.Discard, stderr)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted {
		t.Errorf("second signal %v: exit %d, want %d", second, code, ExitInterrupted)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		t.Errorf("second signal %v: left behind: %s", second, e.Name())
	}
}

// TestDiscoverForcedExitHelper is the child of
// TestDiscoverSecondInterruptRemovesTargetsFile: discover with real
// signal handling, exiting with its code if it returns.
func TestDiscoverForcedExitHelper(t *testing.T) {
	dir := os.Getenv(discoverExitDir)
	if dir == "" {
		t.Skip("run by TestDiscoverSecondInterruptRemovesTargetsFile")
	}
	env := &environment{stdin: strings.NewReader(""), stdout: io.Discard, stderr: os.Stderr}
	code := execute(context.Background(), env, []string{"discover", filepath.Join(dir, "app"),
		"-o", filepath.Join(dir, "out", "targets.yaml"), "--drop-file", filepath.Join(dir, "drops")})
	os.Exit(code) // the exit code discover gives, for the parent to check
}
