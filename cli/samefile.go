package cli

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/targets"
)

// namedPath is a path and the flag that gave it, for messages.
type namedPath struct{ flag, path string }

// refuseOverwritingInputs is a usage error when an output names the same
// file as an input: writing the report would replace the targets file (or
// baseline, or CA) it was read from. Symbolic and hard links count: the
// files are compared with os.SameFile after resolving both paths.
func refuseOverwritingInputs(outputs, inputs []namedPath) error {
	for _, out := range outputs {
		if out.path == "" {
			continue
		}
		for _, in := range inputs {
			if in.path == "" || in.path == "-" {
				continue
			}
			if sameRegularFile(out.path, in.path) {
				return usageErr("%s %s is the same file as %s %s; writing the report would overwrite it", out.flag, out.path, in.flag, in.path)
			}
		}
	}
	return nil
}

// refuseWritingIntoTree is a usage error when an output lies inside the
// app source tree --discover reads, or is (a hard link to) one of its
// files: the report would become part of what it reports on, or replace
// a source file. Both paths are compared after resolving symbolic links.
func refuseWritingIntoTree(outputs []namedPath, tree string) error {
	root, err := filepath.EvalSymlinks(tree)
	if err != nil {
		return nil // discover itself says why it cannot read the tree
	}
	root, _ = filepath.Abs(root)
	for _, out := range outputs {
		if out.path == "" {
			continue
		}
		if insideDir(root, resolvedOutput(out.path)) {
			return usageErr("%s %s is inside the --discover source tree %s; write the report elsewhere", out.flag, out.path, tree)
		}
		if hardLinkedInto(out.path, root) {
			return usageErr("%s %s is the same file as one in the --discover source tree %s; writing the report would overwrite it", out.flag, out.path, tree)
		}
	}
	return nil
}

// resolvedOutput is where a report written to path lands: the path with
// its symbolic links resolved, or, for a file not there yet, its
// folder's, made absolute.
func resolvedOutput(path string) string {
	if p, err := filepath.EvalSymlinks(path); err == nil {
		abs, _ := filepath.Abs(p)
		return abs
	}
	dir, base := filepath.Split(path)
	if d, err := filepath.EvalSymlinks(cmp.Or(dir, ".")); err == nil {
		dir = d
	}
	abs, _ := filepath.Abs(filepath.Join(dir, base))
	return abs
}

// insideDir reports whether path is root or under it.
func insideDir(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// hardLinkedInto reports whether path is an existing regular file that
// another name in the tree at root also names. Only a file with more than
// one link can be (where the system says), so the tree is walked only then.
func hardLinkedInto(path, root string) bool {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || !mayHaveLinks(st) {
		return false
	}
	found := false
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || found {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil // links are not followed: discover does not follow them
		}
		if info, err := d.Info(); err == nil && os.SameFile(st, info) {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// sameRegularFile reports whether two paths name one existing regular
// file. Devices and pipes are left out: -f /dev/stdin with -o /dev/stdout
// on one terminal overwrites nothing.
func sameRegularFile(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil || !sa.Mode().IsRegular() {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// sameFile reports whether two paths name the same file, existing or not.
func sameFile(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb || sameRegularFile(a, b)
}

// refuseRepeatedFiles is a usage error when one targets file is given
// twice (-f a.yaml -f ./a.yaml, or through a link): every target would be
// scanned twice. Standard input can be read once.
func refuseRepeatedFiles(files []string) error {
	for i, a := range files {
		for _, b := range files[:i] {
			if a == "-" && b == "-" {
				return usageErr("-f - is given twice; standard input can be read once")
			}
			if a != "-" && b != "-" && sameFile(a, b) {
				return usageErr("-f %s and -f %s are the same file; give each targets file once", b, a)
			}
		}
	}
	return nil
}

// warnRepeatedNames says which targets more than one input names.
func warnRepeatedNames(env *environment, in *targets.Inputs) {
	if in == nil {
		return
	}
	for _, w := range in.Warnings {
		fmt.Fprintf(env.stderr, "tlsaudit: warning: %s\n", textsafe.Escape(w))
	}
	if n := in.More(); n > 0 {
		fmt.Fprintf(env.stderr, "tlsaudit: warning: and %d more %s named in more than one input\n", n, words.Plural(n, "target", "targets"))
	}
}
