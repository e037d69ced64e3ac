package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"
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
	if a.direct {
		if err := a.f.Close(); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		return nil
	}
	if err := a.f.Chmod(a.perm); err != nil {
		a.Abort()
		return err
	}
	if err := a.f.Sync(); err != nil {
		a.Abort()
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

// Abort discards the partial report.
func (a *atomicFile) Abort() {
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
