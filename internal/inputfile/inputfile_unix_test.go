//go:build unix

package inputfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func mkfifo(t *testing.T, path string) string {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return path
}

// TestOpenRefusesDevices: /dev/zero would be read for ever (or up to the
// cap, for nothing); a device is refused at once, by name.
func TestOpenRefusesDevices(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := ReadFile("/dev/zero", 1<<20)
	if !errors.Is(err, ErrNotFile) || err.Error() != "/dev/zero: not a regular file or a pipe (a character device)" {
		t.Errorf("err = %v", err)
	}
}

// TestFIFOWithoutWriter: opening a FIFO nobody writes to does not wait
// for a writer (open(2) would block for ever); it reads as empty.
func TestFIFOWithoutWriter(t *testing.T) {
	fifo := mkfifo(t, filepath.Join(t.TempDir(), "fifo"))
	data, err := ReadFile(fifo, 1024)
	if err != nil || len(data) != 0 {
		t.Errorf("%q, %v", data, err)
	}
}

// TestFIFOWithWriter: a FIFO a writer has open is read to the writer's
// end, and capped like any file.
func TestFIFOWithWriter(t *testing.T) {
	fifo := mkfifo(t, filepath.Join(t.TempDir(), "fifo"))
	// A reader of our own lets the writer open without blocking; the
	// data then waits in the pipe for Open.
	hold, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteString("a.example.net\nb.example.net\n"); err != nil {
		t.Fatal(err)
	}
	f, err := Open(fifo, 1024)
	hold.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !f.Stream() {
		t.Error("a FIFO is not reported as a stream")
	}
	w.Close()
	if data, err := io.ReadAll(f); err != nil || string(data) != "a.example.net\nb.example.net\n" {
		t.Errorf("%q, %v", data, err)
	}
}

// TestProcessSubstitution: bash's <(cmd) is a /dev/fd/N naming a pipe.
func TestProcessSubstitution(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	name := fmt.Sprintf("/dev/fd/%d", r.Fd())
	if _, err := os.Stat(name); err != nil {
		t.Skipf("no %s: %v", name, err)
	}
	go func() {
		w.WriteString("hosts\n")
		w.Close()
	}()
	if data, err := ReadFile(name, 1024); err != nil || string(data) != "hosts\n" {
		t.Errorf("%q, %v", data, err)
	}
}

// TestTreeRefusesLinksOut: a link to a file outside the tree, absolute or
// relative, is not followed; a link inside the tree is; a FIFO or device
// in the tree (directly or through a link) is refused without waiting.
func TestTreeRefusesLinksOut(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "app")
	write(t, filepath.Join(dir, "real.txt"), []byte("inside"))
	secret := write(t, filepath.Join(base, "environ"), []byte("SECRET_TOKEN=abc\x00HOME=/root\x00"))
	links := map[string]string{
		"abs":    secret,
		"rel":    "../environ",
		"inner":  "real.txt",
		"zero":   "/dev/zero",
		"loop":   "loop",
		"tofifo": "fifo",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	mkfifo(t, filepath.Join(dir, "fifo"))
	tree, err := OpenTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	for name, want := range map[string]error{"abs": ErrOutside, "rel": ErrOutside, "zero": ErrOutside, "fifo": ErrNotRegular, "tofifo": ErrNotRegular} {
		data, err := tree.ReadFile(name, 1<<20)
		if !errors.Is(err, want) || len(data) > 0 || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: %q, %v; want %v", name, data, err, want)
		}
	}
	if _, err := tree.ReadFile("loop", 1<<20); err == nil {
		t.Error("a link loop was read")
	}
	if data, err := tree.ReadFile("inner", 100); err != nil || string(data) != "inside" {
		t.Errorf("inner: %q, %v", data, err)
	}
}

// TestTreeRootLink: the tree's own path may be a link (the user named
// it); it is followed once, and the tree is walked.
func TestTreeRootLink(t *testing.T) {
	base := t.TempDir()
	write(t, filepath.Join(base, "app", "lib", "a.dart"), []byte("x"))
	link := filepath.Join(base, "link")
	if err := os.Symlink("app", link); err != nil {
		t.Fatal(err)
	}
	tree, err := OpenTree(link)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	var files []string
	fs.WalkDir(tree.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, p)
		}
		return err
	})
	if len(files) != 1 || files[0] != "lib/a.dart" {
		t.Errorf("files = %v", files)
	}
}
