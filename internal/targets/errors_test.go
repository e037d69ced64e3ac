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
