package textsafe

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// ExcerptBytes is how much of a value from a file an error message
// quotes: enough to recognise a host name or a line, too little to copy
// a file (a line list's line can be a megabyte, and a file named by
// mistake may hold secrets).
const ExcerptBytes = 80

// PathBytes is how much of a file name an error quotes: paths are longer
// than values (a CI checkout's folders), but one written in a targets
// file can be a megabyte.
const PathBytes = 256

// Path is a file name for a message: escaped, and cut after PathBytes.
func Path(name string) string { return Excerpt(name, PathBytes) }

// Excerpt is s escaped as Escape does, cut after limit bytes; a cut
// excerpt says how much it left out.
func Excerpt(s string, limit int) string {
	head, rest := cut(s, limit)
	return Escape(head) + rest
}

// Quote is s quoted as %q does (so it stays on one line, with every
// control and format character escaped), cut after limit bytes; a cut
// excerpt says how much it left out.
func Quote(s string, limit int) string {
	head, rest := cut(s, limit)
	return strconv.Quote(head) + rest
}

// cut splits s after at most limit bytes, at a rune boundary, and says how
// many bytes it dropped.
func cut(s string, limit int) (string, string) {
	if len(s) <= limit {
		return s, ""
	}
	n := max(0, limit)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	more := len(s) - n
	unit := "bytes"
	if more == 1 {
		unit = "byte" // textsafe is below internal/words' users; one word is enough
	}
	return s[:n], fmt.Sprintf("… (%d more %s)", more, unit)
}
