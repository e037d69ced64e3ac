package spill

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestRecordsReadBackInAnyOrder stores records past the memory limit and
// reads them back out of order, from memory and from disk.
func TestRecordsReadBackInAnyOrder(t *testing.T) {
	for _, limit := range []int{1 << 20, 64} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			s := New(limit)
			defer s.Close()
			var refs []Ref
			var want [][]byte
			for i := range 100 {
				rec := bytes.Repeat([]byte{byte('a' + i%26)}, i)
				ref, err := s.Append(rec)
				if err != nil {
					t.Fatal(err)
				}
				refs, want = append(refs, ref), append(want, rec)
			}
			if (s.f != nil) != (limit == 64) {
				t.Errorf("on disk: %v, limit %d", s.f != nil, limit)
			}
			var buf []byte
			for i := len(refs) - 1; i >= 0; i-- {
				got, err := s.Read(refs[i], buf)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want[i]) {
					t.Fatalf("record %d: %q, want %q", i, got, want[i])
				}
				buf = got
			}
		})
	}
}

// TestNothingLeftInTempDir: the temporary file is gone while still in use,
// so a process killed mid-way leaves nothing behind.
func TestNothingLeftInTempDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	s := New(8)
	if _, err := s.Append([]byte("more than eight bytes")); err != nil {
		t.Fatal(err)
	}
	if s.f == nil {
		t.Fatal("not spilled")
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 0 {
		t.Errorf("left in the temporary folder while open: %v", left)
	}
	s.Close()
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
}
