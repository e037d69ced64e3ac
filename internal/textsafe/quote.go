package textsafe

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Quote returns s double-quoted with Go's escapes (so control and format
// characters show as \x1b, \u202e), cut to its first max bytes, at a
// character boundary, when it is longer; a cut value is followed by "…"
// and its full length. It is how a message quotes a value taken from an
// input: a one-megabyte host name becomes a short line, not a megabyte
// of terminal output.
func Quote(s string, max int) string {
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(s[:cut]), len(s))
}

// Cut returns s escaped (see Escape) and cut to its first max bytes, at a
// character boundary, followed by "…" when it was longer: for values shown
// without quotes, such as a field name.
func Cut(s string, max int) string {
	if len(s) <= max {
		return Escape(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return Escape(s[:cut]) + "…"
}
