package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/tlsaudit/tlsaudit/internal/targets"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
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
