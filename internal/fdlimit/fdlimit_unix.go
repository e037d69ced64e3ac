//go:build unix

package fdlimit

import (
	"os"
	"runtime"
	"syscall"
)

// Raise sets the soft limit on open files to the hard limit, the most an
// unprivileged process may have, and returns the soft limit now in force.
// The Go runtime already raises it at start to one below the hard limit,
// and only where the platform allows (macOS caps it at
// kern.maxfilesperproc), so this is the last step and a no-op when the
// kernel refuses. ok is false when the limit cannot be read.
func Raise() (soft int, ok bool) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, false
	}
	if lim.Cur < lim.Max {
		raised := lim
		raised.Cur = raised.Max
		if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised) == nil {
			lim = raised
		}
	}
	return clamp(uint64(lim.Cur)), true
}

// Limit is the soft limit on open files; ok is false when it cannot be
// read.
func Limit() (soft int, ok bool) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, false
	}
	return clamp(uint64(lim.Cur)), true
}

// InUse counts the descriptors open now (the count includes the one used
// to list them, which is closed again); ok is false when the platform does
// not list them (/proc/self/fd on Linux, /dev/fd elsewhere).
func InUse() (n int, ok bool) {
	dir := "/dev/fd"
	if runtime.GOOS == "linux" {
		dir = "/proc/self/fd"
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		return 0, false
	}
	return len(entries), true
}

func clamp(v uint64) int {
	if v > maxInt {
		return maxInt
	}
	return int(v)
}
