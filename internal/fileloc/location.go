// Package fileloc names a place in a file the user gave tlsaudit: a
// target's entry in a targets file, an accepted risk, or a line of an
// app's source. Reports point at it (SARIF locations, error messages);
// it is a leaf so that the scanner, the app-source model and the
// targets loader all share one type.
package fileloc

import "fmt"

// A Location is a place in an input file: a target's entry in a targets
// file, or (for findings about an app's own code) a source line.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// IsZero reports whether l names no place.
func (l Location) IsZero() bool { return l.File == "" }

func (l Location) String() string {
	switch {
	case l.File == "":
		return ""
	case l.Line == 0:
		return l.File
	case l.Column == 0:
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	}
	return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
}
