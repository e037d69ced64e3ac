package targets

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// An Error is a problem with one field of a targets file, reported as
// "file:line:column: field: what is wrong" so editors can jump to it.
type Error struct {
	Pos   scanner.Location
	Field string
	Msg   string
}

// Error is one short line, escaped: field names and values come from the
// file as written (a key holding terminal escape codes or a bidi override
// is shown, never obeyed; a megabyte-long value is cut); Field and Msg
// keep them raw.
func (e *Error) Error() string {
	pos := e.Pos.String()
	field, msg := textsafe.Excerpt(e.Field, textsafe.ExcerptBytes), textsafe.Escape(shorten(e.Msg))
	switch {
	case pos != "" && field != "":
		return fmt.Sprintf("%s: %s: %s", textsafe.Escape(pos), field, msg)
	case pos != "":
		return fmt.Sprintf("%s: %s", textsafe.Escape(pos), msg)
	case field != "":
		return fmt.Sprintf("%s: %s", field, msg)
	}
	return msg
}

// maxMsgBytes bounds a message, which may quote a value of the file.
const maxMsgBytes = 512

// shorten cuts the middle out of a message longer than maxMsgBytes,
// keeping its start (what is wrong, and the value's start) and its end
// (why).
func shorten(s string) string {
	if len(s) <= maxMsgBytes {
		return s
	}
	head, tail := maxMsgBytes*3/4, len(s)-maxMsgBytes/4
	for head > 0 && !utf8.RuneStart(s[head]) {
		head--
	}
	for tail < len(s) && !utf8.RuneStart(s[tail]) {
		tail++
	}
	return fmt.Sprintf("%s… (%d bytes left out) …%s", s[:head], tail-head, s[tail:])
}

// maxErrors bounds how many problems one load reports: enough to fix a
// file in one pass, not a wall of text for a file of the wrong kind.
const maxErrors = 20

// errorList collects input errors.
type errorList struct {
	errs []error
}

func (l *errorList) add(pos scanner.Location, field, format string, args ...any) {
	if len(l.errs) < maxErrors {
		l.errs = append(l.errs, &Error{Pos: pos, Field: field, Msg: fmt.Sprintf(format, args...)})
	} else if len(l.errs) == maxErrors {
		l.errs = append(l.errs, &Error{Pos: scanner.Location{File: pos.File}, Msg: "too many errors; stopping"})
	}
}

func (l *errorList) full() bool { return len(l.errs) > maxErrors }

func (l *errorList) err() error { return errors.Join(l.errs...) }
