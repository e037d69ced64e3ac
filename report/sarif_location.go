package report

import (
	"cmp"
	"net/url"
	"path/filepath"
	"strings"
)

// Targets that come from no file still need a file location: GitHub
// rejects a whole upload if one result lacks it, and takes no https://
// URIs. They point at stand-in paths under .tlsaudit/, which no repository
// has, so the alert names where the target came from without pretending it
// is a line of someone's file:
//
//   - command-line arguments: DefaultArgumentsURI (or Meta.ArgumentsURI),
//     line N for the Nth target of the scan;
//   - standard input (-f -): StdinURI, the line the target was read from.
const (
	DefaultArgumentsURI = ".tlsaudit/command-line"
	StdinURI            = ".tlsaudit/stdin"
)

// srcRoot is the base the relative artifact URIs are resolved against: the
// repository root, in GitHub's and SARIF viewers' convention.
const srcRoot = "%SRCROOT%"

// isStandIn reports whether a targets-file name is not a real file: "" for
// command-line arguments, or a "<name>" the loader uses for standard input.
func isStandIn(file string) bool {
	return file == "" || (strings.HasPrefix(file, "<") && strings.HasSuffix(file, ">"))
}

// SARIFPath maps a file as the targets loader names it (relative to the
// working directory, or absolute) to a SARIF artifact URI relative to
// root ("" is the working directory), and reports whether it lies inside
// root. A file outside root gets an absolute file:// URI: valid SARIF, but
// GitHub cannot place it in the repository, so callers warn.
func SARIFPath(root, file string) (uri string, inside bool) {
	if !filepath.IsAbs(file) && root == "" {
		if rel := filepath.Clean(file); !escapes(rel) {
			return relURI(rel), true
		}
	}
	absFile := realPath(file)
	absRoot := realPath(cmp.Or(root, "."))
	if rel, err := filepath.Rel(absRoot, absFile); err == nil && !escapes(rel) {
		return relURI(rel), true
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(absFile)}).String(), false
}

func escapes(rel string) bool {
	return rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel)
}

func relURI(rel string) string {
	return (&url.URL{Path: filepath.ToSlash(rel)}).EscapedPath()
}

// realPath is the absolute path with symbolic links in its folder resolved,
// so a root given through a symlink (macOS /tmp, a runner's workspace link)
// still contains the files under it.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

// OutsideRootURI stands, in SARIF built from reports read back (merge),
// for a location those reports give that is not a plain path inside the
// SARIF root: an absolute path elsewhere, a URI (file:///etc/passwd), or
// a path with a ".." element. A report is input from outside, and a
// code-scanning alert must not point wherever it says.
const OutsideRootURI = ".tlsaudit/outside-root"

// path is the SARIF URI of a file a result names, and whether it is
// relative to the source root.
func (s *sarifWriter) path(file string) (string, bool) {
	if !s.untrusted {
		return SARIFPath(s.meta.SourceRoot, file)
	}
	return untrustedPath(s.meta.SourceRoot, file)
}

// untrustedPath maps a file named by a report read back: lexically only
// (the file system is not asked about a path from outside), relative
// paths taken from the working directory as the scan's were, backslashes
// as separators, and only a path that lands inside root keeps its name
// (cleaned: the URI never has a ".." element or a backslash). Anything
// else is OutsideRootURI.
func untrustedPath(root, file string) (string, bool) {
	if hasScheme(file) || strings.ContainsRune(file, 0) {
		return OutsideRootURI, true
	}
	// A backslash separates folders on Windows, where a viewer would
	// follow "ok\..\..\x" out of the root: it is read as a separator
	// here too, whatever system merges.
	file = strings.ReplaceAll(file, `\`, "/")
	absFile, err1 := filepath.Abs(file)
	absRoot, err2 := filepath.Abs(cmp.Or(root, "."))
	if err1 != nil || err2 != nil {
		return OutsideRootURI, true
	}
	rel, err := filepath.Rel(absRoot, absFile)
	if err != nil || escapes(rel) || rel == "." {
		return OutsideRootURI, true
	}
	return relURI(rel), true
}

// hasScheme reports whether s starts like a URI ("file:", "https:") or a
// Windows drive ("C:").
func hasScheme(s string) bool {
	for i, r := range s {
		switch {
		case r == ':':
			return i > 0
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return false
}
