package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/report"
)

// labList starts the named lab endpoints and writes a line list for them
// ("ip:port servername") and the lab's CA, returning both paths.
func labList(t *testing.T, names ...string) (list, ca string) {
	t.Helper()
	l, err := lab.Start(lab.Options{Only: names})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	dir := t.TempDir()
	ca = filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, l.Env.PKI.Root.PEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, tg := range l.Targets() {
		fmt.Fprintf(&b, "%s %s\n", tg.HostPort(), tg.ServerName)
	}
	list = filepath.Join(dir, "hosts.txt")
	if err := os.WriteFile(list, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return list, ca
}

// tarpit listens on loopback, reports each accepted connection on the
// returned channel, and holds it open, silent, until the peer hangs up.
func tarpit(t *testing.T) (string, <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan struct{}, 16)
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- struct{}{}
			wg.Go(func() { io.Copy(io.Discard, c); c.Close() })
		}
	})
	return ln.Addr().String(), accepted
}

// wildcardFleet starts the lab's wildcard endpoint and returns its
// address and CA: any name under wildcard.tlsaudit.test is a distinct,
// clean target on it.
func wildcardFleet(t *testing.T) (addr, ca string) {
	t.Helper()
	list, ca := labList(t, "wildcard")
	line, _ := os.ReadFile(list)
	addr, _, _ = strings.Cut(strings.TrimSpace(string(line)), " ")
	return addr, ca
}

// wildcardName is the server name of the i-th clean target.
func wildcardName(i int) string { return fmt.Sprintf("t%05d.wildcard.%s", i, lab.Domain) }

// interruptFleet writes a line list: before clean targets, a tarpit, then
// after more clean targets, so that with --concurrency 1 the first ones
// have finished, the tarpit is in flight and the rest have not started
// when the test interrupts.
func interruptFleet(t *testing.T, before, after int) (list, ca string, accepted <-chan struct{}) {
	t.Helper()
	addr, ca := wildcardFleet(t)
	pit, accepted := tarpit(t)
	var b strings.Builder
	for i := range before + after {
		if i == before {
			fmt.Fprintf(&b, "%s tarpit.%s\n", pit, lab.Domain)
		}
		fmt.Fprintf(&b, "%s %s\n", addr, wildcardName(i))
	}
	list = filepath.Join(t.TempDir(), "hosts.txt")
	if err := os.WriteFile(list, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return list, ca, accepted
}

func parseLines(t *testing.T, out string) []report.LineJSON {
	t.Helper()
	var rs []report.LineJSON
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r report.LineJSON
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line is not JSON: %v\n%s", err, sc.Text())
		}
		rs = append(rs, r)
	}
	return rs
}

// TestInterruptWritesWhatFinished interrupts a scan while a tarpit is in
// flight and checks the exit code, that the report is complete and valid,
// that what finished is reported as it was, and that the in-flight and
// never-started targets are marked canceled.
func TestInterruptWritesWhatFinished(t *testing.T) {
	list, ca, accepted := interruptFleet(t, 3, 4)
	sigs := make(chan os.Signal, 2)
	var out, errOut bytes.Buffer
	env := &environment{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, interrupts: sigs}
	go func() {
		<-accepted
		sigs <- syscall.SIGINT
	}()
	code := execute(context.Background(), env, []string{"scan", "-f", list, "--ca", ca, "--timeout", "5m", "--deadline", "10m", "--concurrency", "1", "--format", "json"})
	if code != ExitInterrupted {
		t.Fatalf("exit %d, want %d\n%s", code, ExitInterrupted, errOut.String())
	}
	d := parseDoc(t, out.String())
	if len(d.Results) != 8 {
		t.Fatalf("%d results, want 8 (every target)", len(d.Results))
	}
	for i, r := range d.Results {
		want := "ok"
		if i >= 3 {
			want = "canceled"
		}
		got := r.Status
		if r.Error != nil {
			got = r.Error.Kind
		}
		if got != want {
			t.Errorf("result %d (%s): %s, want %s", i, r.Name, got, want)
		}
		if r.Index != i {
			t.Errorf("result %d has index %d", i, r.Index)
		}
	}
	if d.Summary.ErrorKinds["canceled"] != 5 {
		t.Errorf("summary %+v", d.Summary)
	}
	if !strings.Contains(errOut.String(), "interrupted") {
		t.Errorf("stderr: %s", errOut.String())
	}
}

// blockingWriter blocks every write until released, to hold a scan open.
type blockingWriter struct {
	once    sync.Once
	writing chan struct{}
	release chan struct{}
}

func (w *blockingWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.writing) })
	<-w.release
	return len(p), nil
}

// TestSecondInterruptExitsAtOnce holds the scan in its report writer after
// a first interrupt and checks that a second one exits with 130 at once.
func TestSecondInterruptExitsAtOnce(t *testing.T) {
	list, ca, accepted := interruptFleet(t, 0, 2)
	sigs := make(chan os.Signal, 2)
	w := &blockingWriter{writing: make(chan struct{}), release: make(chan struct{})}
	exited := make(chan int, 1)
	env := &environment{stdin: strings.NewReader(""), stdout: w, stderr: io.Discard, interrupts: sigs,
		exit: func(code int) { exited <- code; close(w.release) }}
	go func() {
		<-accepted
		sigs <- syscall.SIGTERM
		<-w.writing
		sigs <- syscall.SIGTERM
	}()
	code := execute(context.Background(), env, []string{"scan", "-f", list, "--ca", ca, "--timeout", "5m", "--deadline", "10m", "--concurrency", "1", "--format", "jsonl"})
	if code == ExitUsage {
		t.Fatal("usage error")
	}
	select {
	case code := <-exited:
		if code != ExitInterrupted {
			t.Errorf("exit(%d), want %d", code, ExitInterrupted)
		}
	default:
		t.Error("the second interrupt did not exit")
	}
}

// TestInterruptBinary sends a real SIGTERM to the built binary while a
// tarpit holds it, checking the signal wiring end to end: exit 130 and a
// JSON Lines report with a line for every target.
func TestInterruptBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "tlsaudit")
	build := exec.Command("go", "build", "-o", bin, "github.com/tlsaudit/tlsaudit")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	list, ca, accepted := interruptFleet(t, 2, 3)
	cmd := exec.Command(bin, "scan", "-f", list, "--ca", ca, "--timeout", "5m", "--deadline", "10m", "--concurrency", "1", "--format", "jsonl")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	<-accepted
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted {
		t.Fatalf("exit %d (%v), want %d\n%s", code, err, ExitInterrupted, errOut.String())
	}
	rs := parseLines(t, out.String())
	if len(rs) != 6 {
		t.Fatalf("%d lines, want 6", len(rs))
	}
	kinds := map[string]int{}
	for _, r := range rs {
		if r.Error != nil {
			kinds[r.Error.Kind]++
		} else {
			kinds[r.Status]++
		}
	}
	if kinds["ok"] != 2 || kinds["canceled"] != 4 {
		t.Errorf("outcomes %v, want 2 ok and 4 canceled", kinds)
	}
}

// TestShardFlag scans the same list as three shards and checks that they
// split it: together every target once, and each shard's report names its
// shard.
func TestShardFlag(t *testing.T) {
	addr, ca := wildcardFleet(t)
	var b strings.Builder
	for i := range 30 {
		fmt.Fprintf(&b, "%s %s\n", addr, wildcardName(i))
	}
	list := filepath.Join(t.TempDir(), "hosts.txt")
	os.WriteFile(list, []byte(b.String()), 0o644)
	seen := map[string]string{}
	for k := 1; k <= 3; k++ {
		shard := fmt.Sprintf("%d/3", k)
		code, out, errOut := run(t, "", "scan", "-f", list, "--ca", ca, "--shard", shard, "--format", "json")
		if code != 0 {
			t.Fatalf("shard %s: exit %d: %s", shard, code, errOut)
		}
		var head struct {
			Shard string `json:"shard"`
		}
		json.Unmarshal([]byte(out), &head)
		if head.Shard != shard {
			t.Errorf("report names shard %q, want %q", head.Shard, shard)
		}
		for _, r := range parseDoc(t, out).Results {
			if prev, dup := seen[r.Name]; dup {
				t.Errorf("%s in shards %s and %s", r.Name, prev, shard)
			}
			seen[r.Name] = shard
		}
	}
	if len(seen) != 30 {
		t.Errorf("shards scanned %d targets, want 30", len(seen))
	}
	for _, bad := range []string{"0/3", "4/3", "x"} {
		if code, _, _ := run(t, "", "scan", "-f", list, "--shard", bad); code != ExitUsage {
			t.Errorf("--shard %s: exit %d", bad, code)
		}
	}
}

// TestReportToDevice checks that -o onto something that is not a regular
// file (here a named pipe; in CI, /dev/null) writes through it instead of
// renaming a file over it.
func TestReportToDevice(t *testing.T) {
	list, ca := labList(t, "good")
	fifo := filepath.Join(t.TempDir(), "report.pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- b
	}()
	code, _, errOut := run(t, "", "scan", "-f", list, "--ca", ca, "--format", "json", "-o", fifo)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if d := parseDoc(t, string(<-got)); len(d.Results) != 1 {
		t.Errorf("%d results through the pipe", len(d.Results))
	}
	if fi, err := os.Stat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the named pipe was replaced: %v %v", fi.Mode(), err)
	}
}

// TestProgressOnlyWhenAsked checks that no progress bar reaches a
// standard error that is not a terminal unless --progress asks for one.
func TestProgressOnlyWhenAsked(t *testing.T) {
	list, ca := labList(t, "good", "expired")
	_, _, quiet := run(t, "", "scan", "-f", list, "--ca", ca, "--format", "json", "--fail-on", "none")
	if strings.Contains(quiet, "targets/") || strings.Contains(quiet, "\r") {
		t.Errorf("progress on a pipe without --progress: %q", quiet)
	}
	_, _, loud := run(t, "", "scan", "-f", list, "--ca", ca, "--format", "json", "--fail-on", "none", "--progress")
	if !strings.Contains(loud, "/2,") || !strings.Contains(loud, "targets/") {
		t.Errorf("no progress with --progress: %q", loud)
	}
	if code, _, _ := run(t, "", "scan", "-f", list, "--progress=sometimes"); code != ExitUsage {
		t.Errorf("bad --progress: exit %d", code)
	}
}
