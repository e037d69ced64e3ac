//go:build !unix

package cli

import "io/fs"

// mayHaveLinks reports whether a file may have more than one name: not
// known here, so yes.
func mayHaveLinks(fs.FileInfo) bool { return true }
