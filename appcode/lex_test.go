package appcode

import (
	"testing"
)

func TestLex(t *testing.T) {
	cases := []struct {
		lang, text, code, skel string
	}{
		{"dart", `var u = 'https://a.b'; // c`, `var u = 'https://a.b';     `, `var u = '           ';     `},
		{"dart", "/* a /* b */ c */x", "                 x", "                 x"},
		{"dart", `r'\' + "x"`, `r'\' + "x"`, `r' ' + " "`},
		{"dart", "'''a\n'b'''c", "'''a\n'b'''c", "''' \n  '''c"},
		{"kotlin", "\"\"\"a\"b\"\"\" // x", "\"\"\"a\"b\"\"\"     ", "\"\"\"   \"\"\"     "},
		{"java", `"a\"b" /* c */`, `"a\"b"        `, `"    "        `},
		{"js", "`a${b}`//c\nx", "`a${b}`   \nx", "`     `   \nx"},
		{"js", "'unclosed\nx // y", "'unclosed\nx     ", "'        \nx     "},
		{"go", "`a\\`+\"b\"", "`a\\`+\"b\"", "`  `+\" \""},
		{"swift", `"it's" // 'x'`, `"it's"       `, `"    "       `},
		{"yaml", "a: 'x # y' # z\nb: https://h/#f", "a: 'x # y'    \nb: https://h/#f", "a: 'x # y'    \nb: https://h/#f"},
		{"properties", "# c\n! d\nk=v#w", "   \n   \nk=v#w", "   \n   \nk=v#w"},
		{"xml", "<a><!-- <b/> -->\n</a>", "<a>             \n</a>", "<a>             \n</a>"},
		{"xcconfig", "A = https:/$()/h // c", "A = https:/$()/h     ", "A = https:/$()/h     "},
		{"env", "#A=1\nB=2 # c", "    \nB=2    ", "    \nB=2    "},
	}
	for _, c := range cases {
		code, skel := lex(c.lang, c.text)
		if code != c.code || skel != c.skel {
			t.Errorf("lex(%s, %q):\n code %q\n want %q\n skel %q\n want %q", c.lang, c.text, code, c.code, skel, c.skel)
		}
	}
}
