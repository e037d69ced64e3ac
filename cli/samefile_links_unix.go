//go:build unix

package cli

import (
	"io/fs"
	"syscall"
)

// mayHaveLinks reports whether a file has more than one name.
func mayHaveLinks(st fs.FileInfo) bool {
	sys, ok := st.Sys().(*syscall.Stat_t)
	return !ok || sys.Nlink > 1
}
