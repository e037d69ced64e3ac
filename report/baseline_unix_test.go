//go:build unix

package report

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadBaselineFIFOWithoutWriter: a FIFO nobody writes to reads as an
// empty file (not a report), instead of blocking in open(2) for ever.
func TestLoadBaselineFIFOWithoutWriter(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "base.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := LoadBaseline(fifo)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a tlsaudit JSON report") {
			t.Errorf("error %v", err)
		}
	case <-time.After(time.Minute): // a hang, not a slow machine
		t.Fatal("LoadBaseline blocked on a FIFO without a writer")
	}
}
