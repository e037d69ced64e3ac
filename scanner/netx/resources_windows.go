package netx

import "syscall"

// noDescriptors are the errors of a process out of socket handles:
// Winsock's WSAEMFILE (10024), which package syscall does not name, and
// syscall's own EMFILE and ENFILE.
var noDescriptors = []syscall.Errno{10024, syscall.EMFILE, syscall.ENFILE}
