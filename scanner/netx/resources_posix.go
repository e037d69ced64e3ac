//go:build !windows

package netx

import "syscall"

// noDescriptors are the errors of a process (EMFILE) or system (ENFILE)
// out of file descriptors.
var noDescriptors = []syscall.Errno{syscall.EMFILE, syscall.ENFILE}
