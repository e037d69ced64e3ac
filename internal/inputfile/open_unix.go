//go:build unix

package inputfile

import (
	"os"
	"syscall"
)

// nonblockFlag opens a FIFO without waiting for a writer.
const nonblockFlag = syscall.O_NONBLOCK

// openNonblocking opens name for reading without blocking in open(2),
// which a FIFO without a writer would do for ever.
func openNonblocking(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|nonblockFlag, 0)
}

// setBlocking clears O_NONBLOCK on a pipe once it is open, so reads wait
// for the writer's data instead of failing with EAGAIN where the runtime
// does not poll FIFOs (macOS).
func setBlocking(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = syscall.SetNonblock(int(fd), false) }); err != nil {
		return err
	}
	return serr
}
