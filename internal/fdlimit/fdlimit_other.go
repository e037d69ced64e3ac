//go:build !unix

package fdlimit

// Raise does nothing where there is no RLIMIT_NOFILE (Windows limits
// sockets by memory, not by a per-process count); ok is false.
func Raise() (soft int, ok bool) { return 0, false }

// Limit reports no limit (ok false) where there is no RLIMIT_NOFILE.
func Limit() (soft int, ok bool) { return 0, false }

// InUse reports nothing (ok false) where descriptors cannot be listed.
func InUse() (n int, ok bool) { return 0, false }
