package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/term"

	"github.com/tlsaudit/tlsaudit/report"
)

// atomicFile writes a report next to its final path and renames it into
// place only when complete, so a crash or interrupt never leaves a
// half-written report where a CI step expects a whole one.
type atomicFile struct {
	f    *os.File
	path string // where the report ends up: the output path, symlinks resolved
	perm os.FileMode
	// direct is set for a path that is not a regular file (/dev/null,
	// /dev/stdout, a named pipe): renaming over it would replace the
	// device, so the report is written to it as it goes.
	direct bool

	// mu makes Commit and Abort one-shot and safe to race: an interrupt
	// that forces the exit aborts, from its own goroutine, whatever has
	// not been committed (see partialFiles).
	mu       sync.Mutex
	finished bool
	// pending, when set, is the registry that must forget the file once
	// it is committed or aborted.
	pending *partialFiles
}

// partialFiles are the reports being written that a forced exit (a
// second Ctrl-C, which ends the process without unwinding) must remove:
// their temporary files would otherwise stay next to the output path.
type partialFiles struct {
	mu    sync.Mutex
	files map[*atomicFile]bool
}

// create is createAtomic, the file kept in the registry until it is
// committed or aborted.
func (p *partialFiles) create(path string) (*atomicFile, error) {
	a, err := createAtomic(path)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.files == nil {
		p.files = map[*atomicFile]bool{}
	}
	p.files[a] = true
	a.pending = p
	return a, nil
}

func (p *partialFiles) forget(a *atomicFile) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.files, a)
}

// abortAll removes every report not yet committed; one being committed
// is waited for, so a report is left whole or not at all.
func (p *partialFiles) abortAll() {
	p.mu.Lock()
	files := make([]*atomicFile, 0, len(p.files))
	for a := range p.files {
		files = append(files, a)
	}
	p.mu.Unlock()
	for _, a := range files {
		a.Abort()
	}
}

// createAtomic's errors carry their exit code: a folder given as the
// report is a usage error, anything else a failure.
func createAtomic(path string) (*atomicFile, error) {
	// Resolve symlinks first: renaming over a link replaces the link (for
	// /dev/stdout, the machine's device node) instead of writing where it
	// points.
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	}
	st, statErr := os.Stat(target)
	special := strings.HasPrefix(target, "/dev/") || strings.HasPrefix(target, "/proc/")
	switch {
	case statErr == nil && st.IsDir():
		return nil, usageErr("%s is a folder; give a file name for the report", path)
	case statErr == nil && !st.Mode().IsRegular(), special:
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, failure(fmt.Errorf("create report: %w", err))
		}
		return &atomicFile{f: f, path: target, direct: true}, nil
	}
	perm := os.FileMode(0o644)
	if statErr == nil {
		perm = st.Mode().Perm() // replacing a report keeps its permissions
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return nil, failure(fmt.Errorf("create report: %w", err))
	}
	return &atomicFile{f: f, path: target, perm: perm}, nil
}

func (a *atomicFile) Write(p []byte) (int, error) { return a.f.Write(p) }

// Commit makes the report visible at its path.
func (a *atomicFile) Commit() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.finished {
		return errors.New("write report: interrupted")
	}
	a.finished = true
	if a.pending != nil {
		defer a.pending.forget(a)
	}
	if a.direct {
		if err := a.f.Close(); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		return nil
	}
	discard := func() {
		a.f.Close()
		os.Remove(a.f.Name())
	}
	if err := a.f.Chmod(a.perm); err != nil {
		discard()
		return err
	}
	if err := a.f.Sync(); err != nil {
		discard()
		return fmt.Errorf("write report: %w", err)
	}
	if err := a.f.Close(); err != nil {
		os.Remove(a.f.Name())
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.Rename(a.f.Name(), a.path); err != nil {
		os.Remove(a.f.Name())
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// Abort discards the partial report; after Commit it does nothing.
func (a *atomicFile) Abort() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.finished {
		return
	}
	a.finished = true
	if a.pending != nil {
		defer a.pending.forget(a)
	}
	a.f.Close()
	if !a.direct {
		os.Remove(a.f.Name())
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// tableWidth is the table's width: --width when given, else the width
// of the terminal w is, else $COLUMNS, else report.DefaultWidth (a pipe or
// a file, whose reader's width is unknown).
func tableWidth(flag int, w io.Writer) int {
	if flag > 0 {
		return flag
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return report.DefaultWidth
}

// useColor decides --color auto|always|never for output w. auto means a
// terminal, NO_COLOR unset (https://no-color.org) and TERM not "dumb".
func useColor(mode string, w io.Writer) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
		return isTerminal(w) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb", nil
	}
	return false, usageErr("--color must be auto, always or never, not %q", mode)
}
