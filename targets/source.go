package targets

import (
	"bufio"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"iter"
	"os"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/inputfile"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// A Source is the targets of one file, validated in full, handed out one
// at a time so that a scan of a long list holds only the targets in
// flight.
type Source struct {
	// Path is the file as shown in messages ("<stdin>" for standard input).
	Path string
	// Total counts the file's targets in every shard; Len those in the
	// shard the source was opened with.
	Total, Len int
	// Concurrency is the file's defaults.concurrency, or 0.
	Concurrency int

	targets []*scanner.Target // YAML: loaded whole
	file    string            // line list: read again by All
	// spooled is the copy of a list that came from standard input or a
	// pipe, read again by All instead of file.
	spooled *spoolFile
	dirPath string // what relative paths resolve against
	opts    Options
	err     error
}

// Open reads a targets file for scanning, checking every target before
// returning, so that nothing is dialed when any line is wrong.
//
// A YAML file is loaded whole: positions, anchors and defaults need the
// whole document, and YAML files are written by hand, so they stay small.
// A line list (any other name, and "-") is what a fleet inventory produces,
// and can be long: Open reads it once to validate it, keeping only a hash
// of each target's name to find duplicates (12 bytes a target), and All
// reads it again as the scan pulls targets. Standard input and pipes
// (-f <(cmd), a FIFO) cannot be read twice, so they are first copied to a
// temporary file (see spool). A list is read up to inputfile.ListCap.
func Open(path string, opts Options) (*Source, error) {
	if opts.Files == nil {
		opts.Files = NewFileCache() // shared by this source's reads
	}
	if err := CheckFlags(opts); err != nil {
		return nil, err
	}
	if isYAML(path) {
		return openYAML(path, opts)
	}
	src := &Source{Path: path, file: path, dirPath: path, opts: opts}
	if path == "-" {
		src.Path = "<stdin>"
		if opts.Stdin == nil {
			return nil, errors.New("no standard input to read targets from")
		}
		sp, err := spool(inputfile.Reader(opts.Stdin, src.Path, inputfile.ListCap), "standard input")
		if err != nil {
			return nil, err
		}
		src.file, src.spooled = "", sp
	} else {
		f, err := inputfile.Open(path, inputfile.ListCap)
		if err != nil {
			return nil, fmt.Errorf("read targets: %w", err)
		}
		if f.Stream() {
			sp, err := spool(f, textsafe.Path(path))
			f.Close()
			if err != nil {
				return nil, err
			}
			src.file, src.spooled = "", sp
		} else {
			f.Close()
		}
	}
	l := newLoader(src.Path, src.dirPath, opts)
	l.emit = func(*scanner.Target) bool { return true }
	var err error
	if l.hashed, err = newNameHashes(src); err == nil {
		err = src.read(l)
		l.hashed.close()
	}
	if err == nil {
		err = l.finish()
	}
	if err != nil {
		src.Close()
		return nil, err
	}
	src.Total, src.Len = l.seen, l.kept
	return src, nil
}

// A spoolFile is the copy of a list read from a stream, kept open and
// read through ReadAt, so that it needs no name once written.
type spoolFile struct {
	f    *os.File
	size int64
	// name is set while the file could not be removed at creation
	// (systems that cannot remove an open file); Close removes it.
	name string
}

// spool copies a stream (capped by the caller) to a temporary file; what
// names it in errors. The file is removed as soon as it is created, where
// the system allows it (it lives on while open), so that no way of ending
// the process (a second Ctrl-C, a kill, a crash) leaves it behind; it
// holds a list of the user's hosts.
func spool(r io.Reader, what string) (*spoolFile, error) {
	f, err := os.CreateTemp("", "tlsaudit-targets-*.txt")
	if err != nil {
		return nil, fmt.Errorf("read targets from %s: %w", what, err)
	}
	sp := &spoolFile{f: f}
	if os.Remove(f.Name()) != nil {
		sp.name = f.Name()
	}
	sp.size, err = io.Copy(f, r)
	if err != nil {
		sp.close()
		return nil, fmt.Errorf("read targets from %s: %w", what, err)
	}
	return sp, nil
}

func (sp *spoolFile) close() error {
	err := sp.f.Close()
	if sp.name != "" {
		if rerr := os.Remove(sp.name); err == nil {
			err = rerr
		}
	}
	return err
}

// listFile is a line list open for reading, once through or at offsets.
type listFile interface {
	io.Reader
	io.ReaderAt
	io.Closer
}

// spoolReader reads a spoolFile from its start; closing it leaves the
// file open for the next reader.
type spoolReader struct{ *io.SectionReader }

func (spoolReader) Close() error { return nil }

// read runs l over the line list.
func (s *Source) read(l *loader) error {
	f, err := s.open()
	if err != nil {
		return err
	}
	defer f.Close()
	return l.readLines(f)
}

// open opens the list, or its copy, to read it again. The list was a
// regular file when Open looked; it must still be one.
func (s *Source) open() (listFile, error) {
	if s.spooled != nil {
		return spoolReader{io.NewSectionReader(s.spooled.f, 0, s.spooled.size)}, nil
	}
	f, err := inputfile.Open(s.file, inputfile.ListCap)
	if err != nil {
		return nil, fmt.Errorf("read targets: %w", err)
	}
	if f.Stream() {
		f.Close()
		return nil, fmt.Errorf("read targets: %s became a pipe", textsafe.Path(s.Path))
	}
	return f, nil
}

// All yields the targets of the source's shard in file order, each with
// Index its position among all the file's targets. A line list is read
// again: if it changed since Open validated it, All stops and Err says so.
func (s *Source) All() iter.Seq[*scanner.Target] {
	return func(yield func(*scanner.Target) bool) {
		if s.file == "" && s.spooled == nil {
			for _, t := range s.targets {
				if !yield(t) {
					return
				}
			}
			return
		}
		l := newLoader(s.Path, s.dirPath, s.opts)
		l.hashed = &nameHashes{off: true} // checked by Open
		l.emit = yield
		err := s.read(l)
		if err == nil {
			err = l.errs.err()
		}
		if err == nil && !l.stopped && l.seen != s.Total {
			err = fmt.Errorf("%d %s now, %d when checked", l.seen, words.Plural(l.seen, "target", "targets"), s.Total)
		}
		if err != nil {
			s.err = fmt.Errorf("%s changed during the scan: %w", s.Path, err)
		}
	}
}

// Err reports a problem met by All.
func (s *Source) Err() error { return s.err }

// Close closes (and so removes) the copy of standard input or a pipe,
// if any.
func (s *Source) Close() error {
	if sp := s.spooled; sp != nil {
		s.spooled = nil
		return sp.close()
	}
	return nil
}

// nameHashes finds duplicate names in a list too long to keep every name:
// it keeps a 64-bit hash of each with where its line starts. When a hash
// repeats, it reads that earlier line again to compare the names, so a
// collision between different names (about once in 10^8 lists of a million
// targets) is told apart exactly, and errors come in line order, as when
// the list is loaded whole.
type nameHashes struct {
	off   bool
	seed  maphash.Seed
	first map[uint64]lineRef
	// collided holds, by name, the rare names whose hash another name
	// already had.
	collided map[string]int
	file     listFile // the list, for re-reading lines
	scratch  *loader  // parses a re-read line
}

type lineRef struct {
	off  int64
	line int32
}

func newNameHashes(s *Source) (*nameHashes, error) {
	f, err := s.open()
	if err != nil {
		return nil, err
	}
	opts := s.opts
	opts.Shard = Shard{}
	opts.Inputs = nil // a re-read line is no new target
	return &nameHashes{seed: maphash.MakeSeed(), first: map[uint64]lineRef{}, collided: map[string]int{},
		file: f, scratch: newLoader(s.Path, s.dirPath, opts)}, nil
}

func (h *nameHashes) close() {
	if h != nil && h.file != nil {
		h.file.Close()
	}
}

// duplicate reports whether name was seen before, and on which line;
// otherwise it remembers name as on line, starting at byte off.
func (h *nameHashes) duplicate(name string, line int, off int64) (int, bool) {
	if h.off {
		return 0, false
	}
	k := maphash.String(h.seed, name)
	prev, seen := h.first[k]
	if !seen {
		h.first[k] = lineRef{off, int32(line)}
		return 0, false
	}
	if l, ok := h.collided[name]; ok {
		return l, true
	}
	if h.nameAt(prev.off) == name {
		return int(prev.line), true
	}
	h.collided[name] = line
	return 0, false
}

// nameAt is the name of the target on the line starting at byte off.
func (h *nameHashes) nameAt(off int64) string {
	text, err := bufio.NewReader(io.NewSectionReader(h.file, off, maxLine+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return ""
	}
	var name string
	h.scratch.names = map[string]fileloc.Location{}
	h.scratch.emit = func(t *scanner.Target) bool { name = t.Name; return true }
	h.scratch.line(lineText(strings.TrimRight(text, "\r\n")), fileloc.Location{}, "")
	return name
}
