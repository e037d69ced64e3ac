package appcode

import "strings"

// lex blanks a file's comments (code) and, in code languages, also the
// contents of its string literals (skeleton). Both keep every byte offset
// and line break of text, so a match in either is a place in the file.
//
// It is a tokenizer, not a parser: enough to tell comments, strings and
// code apart in the languages discovery reads. A string that is not closed
// by the end of its line ends there (except multi-line forms), so one
// misread (a JavaScript regular expression holding a quote) damages one
// line, not the rest of the file.
func lex(lang, text string) (code, skeleton string) {
	switch lang {
	case "xml", "plist":
		code = blankBetween(text, "<!--", "-->")
		return code, code
	case "yaml", "env":
		code = hashComments(text, true)
		return code, code
	case "properties":
		code = hashComments(text, false)
		return code, code
	case "xcconfig":
		code = slashComments(text)
		return code, code
	case "json":
		return text, text
	}
	return lexC(lang, text)
}

// blank replaces b[i:j] with spaces, keeping line breaks.
func blank(b []byte, i, j int) {
	for k := i; k < j && k < len(b); k++ {
		if b[k] != '\n' && b[k] != '\r' {
			b[k] = ' '
		}
	}
}

func blankBetween(text, open, close string) string {
	b := []byte(text)
	for i := 0; ; {
		s := strings.Index(text[i:], open)
		if s < 0 {
			break
		}
		s += i
		e := strings.Index(text[s+len(open):], close)
		end := len(text)
		if e >= 0 {
			end = s + len(open) + e + len(close)
		}
		blank(b, s, end)
		i = end
	}
	return string(b)
}

// hashComments blanks "#" comments: a "#" first on its line (after
// spaces), or, when inline is set (YAML, dotenv), a "#" after a space
// outside quotes — so a URL's "#fragment" is not a comment. Properties
// files also start comments with "!".
func hashComments(text string, inline bool) string {
	b := []byte(text)
	lineStart := true
	var quote byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\n':
			lineStart, quote = true, 0
			continue
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case (c == '#' || (!inline && c == '!')) && lineStart,
			c == '#' && inline && i > 0 && (b[i-1] == ' ' || b[i-1] == '\t'):
			end := strings.IndexByte(text[i:], '\n')
			if end < 0 {
				end = len(text) - i
			}
			blank(b, i, i+end)
			i += end - 1
			continue
		case inline && (c == '"' || c == '\''):
			quote = c
		}
		if c != ' ' && c != '\t' {
			lineStart = false
		}
	}
	return string(b)
}

// slashComments blanks "//" to the end of the line anywhere, as xcconfig
// files mean it (a URL's "//" included: that is why they write
// "https:/$()/host").
func slashComments(text string) string {
	b := []byte(text)
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '/' && b[i+1] == '/' {
			end := strings.IndexByte(text[i:], '\n')
			if end < 0 {
				end = len(text) - i
			}
			blank(b, i, i+end)
			i += end
		}
	}
	return string(b)
}

// cSyntax is what differs between the C-like languages.
type cSyntax struct {
	singleQuote   bool // '…' is a string or character literal
	backtick      bool // `…` is a string that may span lines (JS templates, Go raw strings)
	tripleQuote   bool // """…""" (and ''' in Dart) span lines
	nestedComment bool // /* /* */ */ nests (Dart, Swift, Kotlin)
	rawPrefix     bool // r'…' and r"…" have no escapes (Dart)
	rawBacktick   bool // `…` has no escapes (Go)
}

var cSyntaxes = map[string]cSyntax{
	"dart":   {singleQuote: true, tripleQuote: true, nestedComment: true, rawPrefix: true},
	"kotlin": {singleQuote: true, tripleQuote: true, nestedComment: true},
	"java":   {singleQuote: true, tripleQuote: true},
	"gradle": {singleQuote: true, tripleQuote: true},
	"swift":  {tripleQuote: true, nestedComment: true},
	"objc":   {singleQuote: true},
	"js":     {singleQuote: true, backtick: true},
	"go":     {singleQuote: true, backtick: true, rawBacktick: true},
}

func lexC(lang, text string) (string, string) {
	syn := cSyntaxes[lang]
	code := []byte(text)
	skel := []byte(text)
	n := len(text)
	for i := 0; i < n; {
		c := text[i]
		switch {
		case c == '/' && i+1 < n && text[i+1] == '/':
			end := strings.IndexByte(text[i:], '\n')
			if end < 0 {
				end = n - i
			}
			blank(code, i, i+end)
			blank(skel, i, i+end)
			i += end
		case c == '/' && i+1 < n && text[i+1] == '*':
			end := blockCommentEnd(text, i, syn.nestedComment)
			blank(code, i, end)
			blank(skel, i, end)
			i = end
		case c == '"' || (c == '\'' && syn.singleQuote) || (c == '`' && syn.backtick):
			raw := syn.rawPrefix && i > 0 && (text[i-1] == 'r') && (i < 2 || !IsIdentByte(text[i-2]))
			end, contentStart, contentEnd := stringEnd(text, i, syn, raw)
			blank(skel, contentStart, contentEnd)
			i = end
		default:
			i++
		}
	}
	return string(code), string(skel)
}

// IsIdentByte reports whether c can be part of an identifier in the
// languages discovery reads (letters, digits, _ and $).
func IsIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// blockCommentEnd returns the offset just past the comment opened at i.
func blockCommentEnd(text string, i int, nested bool) int {
	depth := 0
	for j := i; j+1 < len(text); j++ {
		switch {
		case text[j] == '/' && text[j+1] == '*':
			if depth == 0 || nested {
				depth++
			}
			j++
		case text[j] == '*' && text[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(text)
}

// stringEnd finds the end of the string literal opened at i: the offset
// past its closing quote, and the span of its contents.
func stringEnd(text string, i int, syn cSyntax, raw bool) (end, contentStart, contentEnd int) {
	q := text[i]
	n := len(text)
	if syn.tripleQuote && q != '`' && i+2 < n && text[i+1] == q && text[i+2] == q {
		close := strings.Repeat(string(q), 3)
		for j := i + 3; j < n; j++ {
			if text[j] == '\\' && !raw {
				j++
				continue
			}
			if strings.HasPrefix(text[j:], close) {
				return j + 3, i + 3, j
			}
		}
		return n, i + 3, n
	}
	multiline := q == '`'
	escapes := !raw && !(q == '`' && syn.rawBacktick)
	for j := i + 1; j < n; j++ {
		switch {
		case text[j] == '\\' && escapes:
			j++
		case text[j] == q:
			return j + 1, i + 1, j
		case text[j] == '\n' && !multiline:
			return j, i + 1, j
		}
	}
	return n, i + 1, n
}
