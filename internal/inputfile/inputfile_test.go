package inputfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCap: a file of exactly the cap is read whole; one byte more is an
// error naming the file and the cap, and what was read stops at the cap.
func TestCap(t *testing.T) {
	dir := t.TempDir()
	exact := write(t, filepath.Join(dir, "exact"), bytes.Repeat([]byte("a"), 1024))
	over := write(t, filepath.Join(dir, "over"), bytes.Repeat([]byte("a"), 1025))
	if data, err := ReadFile(exact, 1024); err != nil || len(data) != 1024 {
		t.Errorf("exact: %d bytes, %v", len(data), err)
	}
	data, err := ReadFile(over, 1024)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 1024 || !strings.Contains(err.Error(), "over: larger than 1 KiB") {
		t.Errorf("over: %v", err)
	}
	if len(data) > 1024 {
		t.Errorf("read %d bytes past a cap of 1024", len(data))
	}
	r := Reader(strings.NewReader("abcdef"), "<stdin>", 3)
	if got, err := io.ReadAll(r); string(got) != "abc" || !errors.As(err, &tl) || !strings.Contains(err.Error(), "<stdin>") {
		t.Errorf("Reader: %q, %v", got, err)
	}
}

// TestOpenRefusesDirectories: a directory is no file to read.
func TestOpenRefusesDirectories(t *testing.T) {
	_, err := Open(t.TempDir(), 1024)
	if !errors.Is(err, ErrNotFile) || !strings.Contains(err.Error(), "a directory") {
		t.Errorf("err = %v", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing"), 1024); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: err = %v", err)
	}
}

// TestErrorEscapesName: a file name is printed escaped, kept raw.
func TestErrorEscapesName(t *testing.T) {
	name := filepath.Join(t.TempDir(), "x\x1b[2Jy")
	_, err := Open(name, 1)
	var e *Error
	if !errors.As(err, &e) || e.Name != name || strings.Contains(err.Error(), "\x1b") {
		t.Errorf("err = %q", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{1 << 20: "1 MiB", 256 << 20: "256 MiB", 1536: "1536 bytes", 2048: "2 KiB", 10: "10 bytes", 1: "1 byte"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestTreeReads: a file and an in-tree link to it are read; a path out of
// the tree by ".." is refused.
func TestTreeReads(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "app")
	write(t, filepath.Join(dir, "lib", "a.txt"), []byte("inside"))
	write(t, filepath.Join(base, "outside.txt"), []byte("SECRET_TOKEN=abc"))
	tree, err := OpenTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	if data, err := tree.ReadFile("lib/a.txt", 100); err != nil || string(data) != "inside" {
		t.Errorf("lib/a.txt: %q, %v", data, err)
	}
	for _, rel := range []string{"../outside.txt", "lib/../../outside.txt"} {
		data, err := tree.ReadFile(rel, 100)
		if !errors.Is(err, ErrOutside) || len(data) != 0 || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: %q, %v", rel, data, err)
		}
	}
	if _, err := tree.ReadFile("lib/a.txt", 3); !errors.As(err, new(*TooLargeError)) || !strings.Contains(err.Error(), filepath.ToSlash(filepath.Join(dir, "lib/a.txt"))) {
		t.Errorf("capped: %v", err)
	}
	if _, err := tree.ReadFile("lib", 100); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a directory: %v", err)
	}
	if _, err := OpenTree(filepath.Join(dir, "lib", "a.txt")); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("OpenTree(file): %v", err)
	}
}
