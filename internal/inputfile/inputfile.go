// Package inputfile reads the files tlsaudit is given or finds, none of
// which it can trust: files a user names (targets files, drop files,
// certificates and keys) and files an app's source tree holds.
//
// Every read is capped, so that /dev/zero, /proc/kcore or a 10 GB log
// named by mistake costs at most the cap, never the machine:
//
//	SourceCap   1 MiB    a source or config file in an app tree (larger is generated or data)
//	PatternCap  1 MiB    .gitignore, .git/info/exclude, drop files
//	CertCap     1 MiB    CA bundles (Mozilla's is 0.2 MiB), client certificates and keys,
//	                     files given to `pin`, certificate assets an app names
//	TargetsCap  32 MiB   a YAML targets file, which is loaded whole
//	ListCap     256 MiB  a line list of targets (about 8 million lines), including what
//	                     standard input or a pipe gives, which is spooled to a temporary file
//	Streamed    none     a report given to `merge` or `--baseline`: read one result at a
//	                     time, each result (or JSON Lines line) at most 16 MiB
//	                     (report.MaxValueBytes), so memory does not grow with its length
//
// A file a user names may be a regular file or a pipe (a FIFO, standard
// input as /dev/stdin, bash's process substitution <(cmd) as /dev/fd/N).
// Anything else — a directory, a device such as /dev/zero or a terminal,
// a socket — is refused with an error naming it. A FIFO is opened without
// waiting for a writer (O_NONBLOCK, cleared once open): open(2) on a FIFO
// that nobody writes to blocks forever, whereas a read of one without a
// writer ends at once. So `-f <(cmd)` and `cmd > fifo & tlsaudit -f fifo`
// work, and a FIFO nobody writes to reads as empty instead of hanging;
// a writer must have opened the FIFO when tlsaudit does.
//
// Inside a source tree (Tree), only regular files are read, and only
// through an os.Root: a symbolic link is followed while it stays inside
// the tree and refused once it leads out of it (to /proc/self/environ,
// say), so an app's files cannot make tlsaudit read, let alone print,
// anything else on the machine.
package inputfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// Caps, in bytes: see the package comment.
const (
	SourceCap  = 1 << 20
	PatternCap = 1 << 20
	CertCap    = 1 << 20
	TargetsCap = 32 << 20
	ListCap    = 256 << 20
	// Streamed is for a file read one bounded record at a time, whose
	// reader caps each record instead of the whole.
	Streamed = math.MaxInt64
)

// A TooLargeError is a file longer than the cap it was read with.
type TooLargeError struct {
	Name  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than %s, the most tlsaudit reads from such a file", textsafe.Path(e.Name), Size(e.Limit))
}

// An Error is a file that could not be read, or was not: its name, kept
// as given and escaped (and cut short) when printed, and why.
type Error struct {
	Name string
	Err  error
}

func (e *Error) Error() string { return textsafe.Path(e.Name) + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

var (
	// ErrNotFile is why something that is neither a regular file nor a
	// pipe (a directory, a device, a socket) is not read.
	ErrNotFile = errors.New("not a regular file or a pipe")
	// ErrNotRegular is why a file in a tree that is not a regular file
	// (a FIFO, a device, a socket, a directory) is not read.
	ErrNotRegular = errors.New("not a regular file")
	// ErrOutside is why a path in a tree that leads out of it, by ".." or
	// through a symbolic link, is not read.
	ErrOutside = errors.New("leads out of the source tree")
)

// Size writes a cap for people: "1 MiB", "256 MiB", "512 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// A File is an open file a user named, read through its cap.
type File struct {
	f      *os.File
	r      io.Reader
	stream bool
}

// Open opens a file a user named, to be read up to limit bytes: past
// them, Read fails with a *TooLargeError.
func Open(name string, limit int64) (*File, error) {
	f, err := openNonblocking(name)
	if err != nil {
		return nil, &Error{Name: name, Err: unwrapPath(err)}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &Error{Name: name, Err: unwrapPath(err)}
	}
	mode := st.Mode()
	stream := mode&fs.ModeNamedPipe != 0
	if !mode.IsRegular() && !stream {
		f.Close()
		return nil, &Error{Name: name, Err: fmt.Errorf("%w (%s)", ErrNotFile, kind(mode))}
	}
	if stream {
		if err := setBlocking(f); err != nil {
			f.Close()
			return nil, &Error{Name: name, Err: err}
		}
	}
	return &File{f: f, r: Reader(f, name, limit), stream: stream}, nil
}

// Read reads from the file, failing with a *TooLargeError past the cap.
func (f *File) Read(p []byte) (int, error) { return f.r.Read(p) }

// ReadAt reads at an offset, as os.File does, past the cap too: it
// re-reads what Read gave (a pipe fails).
func (f *File) ReadAt(p []byte, off int64) (int, error) { return f.f.ReadAt(p, off) }

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// Stream reports whether the file is a pipe, which can be read only once.
func (f *File) Stream() bool { return f.stream }

// ReadFile reads a whole file a user named, up to limit bytes.
func ReadFile(name string, limit int64) ([]byte, error) {
	f, err := Open(name, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// Reader caps r (standard input, say) at limit bytes; name is the name
// errors give it.
func Reader(r io.Reader, name string, limit int64) io.Reader {
	return &capped{r: r, name: name, limit: limit, left: limit}
}

// capped reads up to limit bytes, then fails with a *TooLargeError if
// there are more.
type capped struct {
	r           io.Reader
	name        string
	limit, left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if c.left <= 0 {
		// One byte more tells a file of exactly the cap from a longer one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, &TooLargeError{Name: c.name, Limit: c.limit}
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// unwrapPath drops an *fs.PathError's own copy of the name, which an
// Error carries (and escapes).
func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// kind names a file mode for errors.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeNamedPipe != 0:
		return "a pipe"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "an irregular file"
}
