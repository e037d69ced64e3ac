//go:build unix

package fdlimit

import (
	"os"
	"syscall"
	"testing"
)

// TestRaise lowers the soft limit and checks Raise puts it back at the
// hard limit.
func TestRaise(t *testing.T) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skip(err)
	}
	hard := uint64(lim.Max)
	if hard > maxInt || hard < 128 {
		t.Skipf("hard limit %d: nothing to lower and raise again here", hard)
	}
	lim.Cur = lim.Max / 2
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skip(err)
	}
	soft, ok := Raise()
	if limit, _ := Limit(); !ok || uint64(soft) != hard || limit != soft {
		t.Errorf("Raise = %d, %v; Limit = %d; want the hard limit %d", soft, ok, limit, hard)
	}
}

func TestInUse(t *testing.T) {
	n, ok := InUse()
	if !ok {
		t.Skip("descriptors cannot be listed here")
	}
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if m, _ := InUse(); m != n+1 {
		t.Errorf("InUse %d, then %d after opening a file", n, m)
	}
}
