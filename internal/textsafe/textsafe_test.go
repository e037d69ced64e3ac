package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	cases := map[string]string{
		"api.example.com":           "api.example.com",
		"Zürich GmbH":               "Zürich GmbH",
		"\x1b[31mred\x1b[0m":        `\x1b[31mred\x1b[0m`,
		"line1\nline2\r":            `line1\nline2\r`,
		"evil\u202egnp.exe":         `evil\u202egnp.exe`,
		"zero\u200bwidth":           `zero\u200bwidth`,
		"bad \xff utf8":             `bad \xff utf8`,
		"bell\a and c1 \u009b":      `bell\x07 and c1 \u009b`,
		"tab\there":                 `tab\there`,
		"isolate \u2066x\u2069 end": `isolate \u2066x\u2069 end`,
	}
	for in, want := range cases {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]0;title\a", "a\u202eb", "\xff\xfe", "ok\nnext"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("Escape(%q) left %U in %q", s, r, out)
			}
		}
		if strings.ContainsAny(out, "\n\r") {
			t.Fatalf("multi-line output for %q", s)
		}
	})
}

func TestQuote(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"api.example.com", 64, `"api.example.com"`},
		{"a\x1b[2Jb", 64, `"a\x1b[2Jb"`},
		{"evil\u202e", 64, `"evil\u202e"`},
		{strings.Repeat("a", 100), 8, `"aaaaaaaa"… (92 more bytes)`},
		// The cut falls inside "é" (2 bytes): it moves back to keep the
		// character whole.
		{"aaaaaaaé" + strings.Repeat("b", 10), 8, `"aaaaaaa"… (12 more bytes)`},
	}
	for _, c := range cases {
		if got := Quote(c.in, c.max); got != c.want {
			t.Errorf("Quote(%q, %d) = %s, want %s", c.in, c.max, got, c.want)
		}
	}
	if got := Excerpt(strings.Repeat("x", 1<<20)+"\x1b", 16); got != strings.Repeat("x", 16)+"… (1048561 more bytes)" {
		t.Errorf("Excerpt = %q", got)
	}
	if got := Excerpt("k\x1by", 16); got != `k\x1by` {
		t.Errorf("Excerpt = %q", got)
	}
}
