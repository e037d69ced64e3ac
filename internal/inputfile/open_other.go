//go:build !unix

package inputfile

import "os"

// nonblockFlag is 0 where opening a pipe does not wait for a writer.
const nonblockFlag = 0

func openNonblocking(name string) (*os.File, error) { return os.Open(name) }

func setBlocking(*os.File) error { return nil }
