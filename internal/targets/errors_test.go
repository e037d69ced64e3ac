package targets

import (
	"strings"
	"testing"
)

// TestErrorsEscapeFileText checks that an unknown key or a bad value
// holding terminal escape codes or a bidi override reaches the terminal
// escaped, in the field name and in the message.
func TestErrorsEscapeFileText(t *testing.T) {
	p := write(t, "t.yaml", "targets:\n  - host: a.example\n    \"\\e[2Jport\\u202e\": 1\n    tags: [\"\\e]0;pwned\\a\"]\n    name: \"x\\e[31m\"\n  - host: b.example\n    name: \"x\\e[31m\"\n")
	_, err := Load(p, opts())
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\x1b\a\u202e") {
		t.Errorf("raw control characters reach the terminal: %q", msg)
	}
	for _, want := range []string{`:3:5: \x1b[2Jport\u202e: unknown field`, `duplicate name "x\x1b[31m"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

// TestYAMLDocuments checks that empty documents (a trailing "---") are
// not a second document, and that a second one with content is.
func TestYAMLDocuments(t *testing.T) {
	for _, ok := range []string{
		"targets:\n  - host: a.example\n---\n",
		"targets:\n  - host: a.example\n--- # end\n---\n",
		"---\n---\ntargets:\n  - host: a.example\n",
	} {
		if _, err := Load(write(t, "t.yaml", ok), opts()); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for in, want := range map[string]string{
		"targets:\n  - host: a.example\n---\ntargets:\n  - host: b.example\n": "t.yaml:3: more than one YAML document",
		"---\n---\n":        "t.yaml: empty targets file",
		"---\nnull\n":       "expected a mapping",
		"targets: [\n---\n": "invalid YAML",
	} {
		if _, err := Load(write(t, "t.yaml", in), opts()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", in, err, want)
		}
	}
}
