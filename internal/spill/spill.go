// Package spill holds records that must be put in order before they are
// written (a SARIF run's results, the results of merged reports) out of
// memory: they are appended to a temporary file, and read back one at a
// time in whatever order the caller sorted their references into. Small
// sets stay in memory.
package spill

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

// MemoryLimit is how many bytes of records a File keeps in memory before
// it moves them to a temporary file.
const MemoryLimit = 4 << 20

// A Ref says where a record is.
type Ref struct {
	off int64
	n   uint32
}

// A File is an append-only store of records. It is not safe for
// concurrent use.
type File struct {
	mem   []byte
	limit int
	f     *os.File
	w     *bufio.Writer
	size  int64
	// name is the temporary file's path while it could not be removed
	// at creation (systems that cannot remove an open file).
	name string
}

// New returns an empty File that moves to disk past limit bytes (0:
// MemoryLimit).
func New(limit int) *File {
	if limit <= 0 {
		limit = MemoryLimit
	}
	return &File{limit: limit}
}

// maxRecord bounds one record: a Ref holds its length in 32 bits.
const maxRecord = 1<<32 - 1

// Append stores rec and says where it is.
func (s *File) Append(rec []byte) (Ref, error) {
	if len(rec) > maxRecord {
		return Ref{}, errors.New("spill: record too large")
	}
	ref := Ref{off: s.size, n: uint32(len(rec))}
	if s.f == nil && len(s.mem)+len(rec) > s.limit {
		if err := s.toDisk(); err != nil {
			return Ref{}, err
		}
	}
	if s.f == nil {
		s.mem = append(s.mem, rec...)
	} else if _, err := s.w.Write(rec); err != nil {
		return Ref{}, fmt.Errorf("spill: %w", err)
	}
	s.size += int64(len(rec))
	return ref, nil
}

// toDisk moves the records to a temporary file. The file is removed at
// once where the system allows it (it lives on while open), so that no way
// of ending the process, a second Ctrl-C or a kill, leaves it behind.
func (s *File) toDisk() error {
	f, err := os.CreateTemp("", "tlsaudit-*.spill")
	if err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	if os.Remove(f.Name()) != nil {
		s.name = f.Name()
	}
	s.f, s.w = f, bufio.NewWriterSize(f, 256<<10)
	if _, err := s.w.Write(s.mem); err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	s.mem = nil
	return nil
}

// Read returns the record at ref, in buf if it is large enough. The
// result is valid until the next Read with the same buf.
func (s *File) Read(ref Ref, buf []byte) ([]byte, error) {
	if s.f == nil {
		return s.mem[ref.off : ref.off+int64(ref.n)], nil
	}
	if s.w.Buffered() > 0 {
		if err := s.w.Flush(); err != nil {
			return nil, fmt.Errorf("spill: %w", err)
		}
	}
	if cap(buf) < int(ref.n) {
		buf = make([]byte, ref.n)
	}
	buf = buf[:ref.n]
	if _, err := s.f.ReadAt(buf, ref.off); err != nil && !(errors.Is(err, io.EOF) && len(buf) == 0) {
		return nil, fmt.Errorf("spill: %w", err)
	}
	return buf, nil
}

// Size is the bytes stored.
func (s *File) Size() int64 { return s.size }

// Close discards the records.
func (s *File) Close() error {
	s.mem = nil
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if s.name != "" {
		os.Remove(s.name)
	}
	s.f, s.w = nil, nil
	return err
}
