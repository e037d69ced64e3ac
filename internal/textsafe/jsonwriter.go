package textsafe

import (
	"fmt"
	"io"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// NewJSONWriter passes JSON text through to w with every character
// Escape would escape written as a \u escape instead: DEL, C1 controls
// (U+009B is a CSI to some terminals), bidi overrides and other format
// characters, and anything else unprintable. encoding/json escapes the
// C0 controls but writes these raw, so a report printed on a terminal, or
// shown in a review, could be made to act or read other than it says.
// The escapes are lossless: a JSON reader gets the same strings back.
//
// It relies on what encoding/json writes: outside strings, JSON is
// printable ASCII, so every character it changes is inside a string.
// A write may end inside a character; its first bytes wait for the next.
func NewJSONWriter(w io.Writer) io.Writer { return &jsonWriter{w: w} }

type jsonWriter struct {
	w       io.Writer
	pending []byte // the first bytes of a character a write cut
	buf     []byte
}

func (j *jsonWriter) Write(p []byte) (int, error) {
	n := len(p)
	if len(j.pending) > 0 {
		p = append(j.pending, p...)
		j.pending = nil
	} else if plainJSON(p) {
		if _, err := j.w.Write(p); err != nil {
			return 0, err
		}
		return n, nil
	}
	out := j.buf[:0]
	start := 0
	for i := 0; i < len(p); {
		c := p[i]
		if c < 0x7f {
			i++
			continue
		}
		if c >= utf8.RuneSelf && !utf8.FullRune(p[i:]) {
			out = append(out, p[start:i]...)
			j.pending = append(j.pending[:0], p[i:]...)
			start = len(p)
			break
		}
		r, size := utf8.DecodeRune(p[i:])
		if r != utf8.RuneError && unicode.IsPrint(r) {
			i += size
			continue
		}
		out = append(out, p[start:i]...)
		if r > 0xffff {
			hi, lo := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, hi, lo)
		} else {
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		i += size
		start = i
	}
	out = append(out, p[start:]...)
	j.buf = out
	if _, err := j.w.Write(out); err != nil {
		return 0, err
	}
	return n, nil
}

// plainJSON reports whether p is printable ASCII and whitespace, the
// common case, which passes through as is.
func plainJSON(p []byte) bool {
	for _, c := range p {
		if c >= 0x7f {
			return false
		}
	}
	return true
}
