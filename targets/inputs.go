package targets

import (
	"fmt"
	"hash/maphash"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
)

// Inputs spans the inputs of one scan (every -f file and the command
// line), so a target name in more than one of them can be told apart from
// a repeat within one (an error where it is written).
//
// The same name in two inputs is a warning, not an error: two teams' files
// may both list a shared endpoint, and each file's SARIF run needs its own
// result, or the alerts of one file would close. It is still worth saying,
// since the reports then hold two results under one name.
//
// Only a 64-bit hash of each name is kept, with where it was first seen,
// so a long line list costs a few bytes a target; two different names
// with one hash (about once in 10^7 scans of a million targets) would give
// a needless warning, never a missed error.
type Inputs struct {
	seed  maphash.Seed
	files []string
	first map[uint64]firstSeen
	// Warnings are the cross-input repeats, at most maxWarnings of them,
	// then a count of the rest.
	Warnings []string
	more     int
}

type firstSeen struct {
	input, line int32
}

// maxWarnings bounds the repeats listed one by one: two copies of a long
// list say it in a screen.
const maxWarnings = 10

// NewInputs returns an empty record of a scan's inputs.
func NewInputs() *Inputs {
	return &Inputs{seed: maphash.MakeSeed(), first: map[uint64]firstSeen{}}
}

// note records that input file ("" for the command line) holds a target
// named name at pos.
func (in *Inputs) note(file, name string, pos fileloc.Location) {
	idx := int32(len(in.files))
	if idx == 0 || in.files[idx-1] != file {
		in.files = append(in.files, file)
	} else {
		idx--
	}
	k := maphash.String(in.seed, name)
	prev, seen := in.first[k]
	if !seen {
		in.first[k] = firstSeen{idx, int32(pos.Line)}
		return
	}
	if prev.input == idx {
		return // a repeat within one input is that input's error
	}
	if len(in.Warnings) == maxWarnings {
		in.more++
		return
	}
	in.Warnings = append(in.Warnings, fmt.Sprintf("target %s (%s) is also in %s; each input scans it, so the reports hold two results named %[1]s",
		quote(name), in.where(idx, int(pos.Line)), in.where(prev.input, int(prev.line))))
}

// More is how many repeats Warnings leaves out.
func (in *Inputs) More() int { return in.more }

func (in *Inputs) where(input int32, line int) string {
	file := in.files[input]
	switch {
	case file == "":
		return "the command line"
	case line > 0:
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}
