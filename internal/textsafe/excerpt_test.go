package textsafe

import (
	"strings"
	"testing"
)

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	if got := Excerpt(long, 10); got != "aaaaaaaaaa… (1048566 more bytes)" {
		t.Errorf("Excerpt(1 MiB) = %q", got)
	}
	if got := Quote("a\x1bb", 10); got != `"a\x1bb"` {
		t.Errorf("Quote = %q", got)
	}
	if got := Excerpt("x\ny", 10); got != `x\ny` {
		t.Errorf("Excerpt = %q", got)
	}
	// A cut never splits a character.
	if got := Quote("ééé", 3); got != `"é"… (4 more bytes)` {
		t.Errorf("Quote(ééé, 3) = %q", got)
	}
}

// TestExcerptOneMoreByte: a cut of one byte says "1 more byte".
func TestExcerptOneMoreByte(t *testing.T) {
	if got := Excerpt("abc", 2); got != "ab… (1 more byte)" {
		t.Errorf("Excerpt(abc, 2) = %q", got)
	}
}
