package targets

import (
	"errors"
	"fmt"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// An Error is a problem with one field of a targets file, reported as
// "file:line:column: field: what is wrong" so editors can jump to it.
type Error struct {
	Pos   fileloc.Location
	Field string
	Msg   string
}

// Error is one line, escaped: field names and values come from the file
// as written (a key holding terminal escape codes or a bidi override is
// shown, never obeyed); Field and Msg keep them raw.
//
// Values quoted in messages are cut short where they are quoted (quote);
// the field name and the message are cut here too, so that no path can
// echo a megabyte of the file.
func (e *Error) Error() string {
	pos := e.Pos.String()
	field, msg := textsafe.Excerpt(e.Field, maxQuote), textsafe.Excerpt(e.Msg, maxMessage)
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

// maxQuote bounds the bytes of a value from the input that a message
// quotes (longer ones are cut, with their length); maxMessage bounds a
// whole message, which holds a few values and some advice.
const (
	maxQuote   = 100
	maxMessage = 1024
)

// quote quotes a value from the input for a message: escaped, and cut to
// maxQuote bytes.
func quote(s string) string { return textsafe.Quote(s, maxQuote) }

// maxErrors bounds how many problems one load reports: enough to fix a
// file in one pass, not a wall of text for a file of the wrong kind.
const maxErrors = 20

// errorList collects input errors.
type errorList struct {
	errs []error
}

func (l *errorList) add(pos fileloc.Location, field, format string, args ...any) {
	if len(l.errs) < maxErrors {
		l.errs = append(l.errs, &Error{Pos: pos, Field: field, Msg: fmt.Sprintf(format, args...)})
	} else if len(l.errs) == maxErrors {
		l.errs = append(l.errs, &Error{Pos: fileloc.Location{File: pos.File}, Msg: "too many errors; stopping"})
	}
}

// fatal adds the error that ends a load, even past maxErrors, so that the
// load never stops without saying why.
func (l *errorList) fatal(pos fileloc.Location, field, format string, args ...any) {
	l.errs = append(l.errs, &Error{Pos: pos, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (l *errorList) full() bool { return len(l.errs) > maxErrors }

func (l *errorList) err() error { return errors.Join(l.errs...) }
