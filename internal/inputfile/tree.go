package inputfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// A Tree is a directory whose files are read without trusting them: an
// app's source tree.
type Tree struct {
	root *os.Root
	dir  string // as given, to name files in errors
}

// OpenTree opens the directory dir. Links in dir's own path are followed
// once, here (the user named it: `discover ./app-link` reads the tree the
// link points to); links inside the tree then may not lead out of it.
func OpenTree(dir string) (*Tree, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, &Error{Name: dir, Err: unwrapPath(err)}
	}
	if !st.IsDir() {
		return nil, &Error{Name: dir, Err: errors.New("not a directory")}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, &Error{Name: dir, Err: unwrapPath(err)}
	}
	return &Tree{root: root, dir: dir}, nil
}

// Close closes the tree.
func (t *Tree) Close() error { return t.root.Close() }

// FS is the tree as a file system, to walk it (fs.WalkDir lists links
// without following them). Reading through it is not capped: use
// ReadFile.
func (t *Tree) FS() fs.FS { return t.root.FS() }

// ReadFile reads the regular file at the slash-separated path rel, up to
// limit bytes (past them, a *TooLargeError). A link is followed while it
// stays in the tree; a path leading out of it fails with ErrOutside, and
// anything but a regular file (a FIFO, a device) with ErrNotRegular,
// without waiting on it.
//
// Errors name the file as the tree's directory, as given, joined with rel.
func (t *Tree) ReadFile(rel string, limit int64) ([]byte, error) {
	name := filepath.ToSlash(filepath.Join(t.dir, filepath.FromSlash(rel)))
	f, err := t.root.OpenFile(filepath.FromSlash(rel), os.O_RDONLY|nonblockFlag, 0)
	if err != nil {
		if escapes(err) {
			return nil, &Error{Name: name, Err: ErrOutside}
		}
		return nil, &Error{Name: name, Err: unwrapPath(err)}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &Error{Name: name, Err: unwrapPath(err)}
	}
	if !st.Mode().IsRegular() {
		return nil, &Error{Name: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(st.Mode()))}
	}
	return io.ReadAll(Reader(f, name, limit))
}

// escapes reports whether an os.Root refused a path for leading out of
// the root. os.Root does not export the error; its text is stable, and
// TestTreeRefusesEscapes fails if it changes.
func escapes(err error) bool {
	pe, ok := errors.AsType[*fs.PathError](err)
	return ok && pe.Err != nil && pe.Err.Error() == "path escapes from parent"
}
