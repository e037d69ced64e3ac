//go:build unix

package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// These tests run tlsaudit in a child process (this test binary again,
// through TestDescriptorChild) under a low RLIMIT_NOFILE, against servers
// in this process, whose own descriptors do not count against the child.

const (
	childArgs  = "TLSAUDIT_TEST_CHILD_ARGS"  // JSON array of tlsaudit's arguments
	childLimit = "TLSAUDIT_TEST_CHILD_LIMIT" // "soft:hard" RLIMIT_NOFILE
	childHog   = "TLSAUDIT_TEST_CHILD_HOG"   // set: scan a server in the child that leaves no descriptor free at its first connection
)

// TestDescriptorChild is the child's main; it does nothing in a normal run.
func TestDescriptorChild(t *testing.T) {
	argsJSON := os.Getenv(childArgs)
	if argsJSON == "" {
		t.Skip("only runs as the child of the descriptor tests")
	}
	var args []string
	if err := json.Unmarshal([]byte(argsJSON), &args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(99)
	}
	if os.Getenv(childHog) != "" {
		addr, err := starveOnFirstConnection()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(99)
		}
		args = append(args, addr)
	}
	soft, hard, _ := strings.Cut(os.Getenv(childLimit), ":")
	s, _ := strconv.ParseUint(soft, 10, 64)
	h, _ := strconv.ParseUint(hard, 10, 64)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: s, Max: h}); err != nil {
		fmt.Fprintln(os.Stderr, "setrlimit:", err)
		os.Exit(99)
	}
	os.Exit(Main(args, strings.NewReader(""), os.Stdout, os.Stderr))
}

// starveOnFirstConnection listens on loopback and, when the first
// connection arrives, lowers the soft limit below every descriptor number
// free, then ends the connection: from then on every socket tlsaudit asks
// for fails with EMFILE, as when something else in the process took them
// all, whatever its concurrency and whichever descriptors it gives back.
func starveOnFirstConnection() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		var lim syscall.Rlimit
		syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
		lim.Cur = 3 // standard streams only
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			os.Exit(99)
		}
		c.(*net.TCPConn).CloseWrite()
		select {} // keep the connection until the process exits
	}()
	return ln.Addr().String(), nil
}

// runChild runs tlsaudit args in a child under limit ("soft:hard").
func runChild(t *testing.T, limit string, hog bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	argsJSON, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestDescriptorChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childArgs+"="+string(argsJSON), childLimit+"="+limit)
	if hog {
		cmd.Env = append(cmd.Env, childHog+"=1")
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code == 99 {
		t.Fatalf("child setup failed: %s", errOut.String())
	}
	// The child is a test binary: after a normal exit it prints nothing
	// more, since Main's os.Exit ends it inside the test.
	return code, out.String(), errOut.String()
}

// manyTargets writes a targets file naming the lab's good endpoint n
// times, under different names.
func manyTargets(t *testing.T, n int) string {
	t.Helper()
	l, dir, ca := startLab(t, "ca.pem", "good")
	good := l.Endpoint("good").Target()
	var b strings.Builder
	fmt.Fprintf(&b, "defaults:\n  ca: %q\n  http_port: %d\ntargets:\n", ca, good.HTTPPort())
	for i := range n {
		fmt.Fprintf(&b, "  - {name: t%d, host: %q, port: %d, servername: %q}\n", i, good.Host, good.Port, good.ServerName)
	}
	path := filepath.Join(dir, "many.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestScanWithinDescriptorLimit scans 300 targets under `ulimit -n 64`
// with the default concurrency of 64: the concurrency is lowered to fit,
// with a warning, and every target is scanned. Without that, the scan
// ran out of descriptors and blamed the targets (kind error, exit 1).
func TestScanWithinDescriptorLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("scans 300 targets in a child process")
	}
	path := manyTargets(t, 300)
	code, out, errOut := runChild(t, "64:64", false, "scan", "-f", path, "--format", "json",
		"--checks", "cert-expired,hostname-mismatch,hsts-missing,http-plaintext-fallback")
	if code != ExitOK {
		t.Errorf("exit %d, want %d\n%s", code, ExitOK, tail(errOut))
	}
	if !strings.Contains(errOut, "tlsaudit: warning: concurrency lowered from 64 to ") {
		t.Errorf("no warning that the concurrency was lowered:\n%s", tail(errOut))
	}
	d := parseDoc(t, out)
	if len(d.Results) != 300 {
		t.Fatalf("%d results, want 300", len(d.Results))
	}
	bad := 0
	for _, r := range d.Results {
		if r.Error != nil {
			if bad++; bad <= 3 {
				t.Errorf("%s: %s: %s", r.Name, r.Error.Kind, r.Error.Message)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of 300 targets failed", bad)
	}
}

// TestScanRaisesDescriptorLimit: a soft limit below the hard one is raised
// to it at start, so the default concurrency fits and is not lowered.
func TestScanRaisesDescriptorLimit(t *testing.T) {
	path := manyTargets(t, 20)
	code, _, errOut := runChild(t, "40:1024", false, "scan", "-f", path, "--format", "json", "--checks", "cert-expired")
	if code != ExitOK || strings.Contains(errOut, "concurrency lowered") {
		t.Errorf("exit %d; the soft limit was not raised to the hard one:\n%s", code, tail(errOut))
	}
}

// TestScanOutOfDescriptors: when descriptors run out anyway (here, the
// limit drops below those in use mid-scan), the scan stops as the
// tool's failure (exit 3) with a clear message, and no target is reported
// as failed.
func TestScanOutOfDescriptors(t *testing.T) {
	code, out, errOut := runChild(t, "64:64", true, "scan", "--format", "jsonl", "--checks", "cert-expired")
	if code != ExitFailure {
		t.Errorf("exit %d, want %d\n%s", code, ExitFailure, tail(errOut))
	}
	if !strings.Contains(errOut, "tlsaudit: error: out of file descriptors on this machine") ||
		!strings.Contains(errOut, "not a finding about any target") {
		t.Errorf("stderr does not explain:\n%s", tail(errOut))
	}
	if strings.Contains(out, `"kind"`) {
		t.Errorf("a target was reported as failed:\n%s", out)
	}
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}
