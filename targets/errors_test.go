package targets

import (
	"fmt"
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

// TestErrorsQuoteShortExcerpts gives every field that an error message
// quotes a value of about a megabyte: each message must name the place
// and quote a short excerpt, not echo the value.
func TestErrorsQuoteShortExcerpts(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	cases := []struct{ name, yaml, want string }{
		{"unknown field", "targets:\n  - host: a\n    ? " + big + "\n    : 1\n", "t.yaml:3:7: xxxx"},
		{"unknown top-level field", "? " + big + "\n: 1\ntargets:\n  - host: a\n", "t.yaml:1:3: xxxx"},
		{"bad host", "targets:\n  - host: " + big + "/\n", "t.yaml:2:11: host: \"xxxx"},
		{"long host label", "targets:\n  - host: " + big + "\n", "t.yaml:2:11: host: \"xxxx"},
		{"bad port in host", "targets:\n  - host: a:" + big + "\n", "t.yaml:2:11: host: "},
		{"bad URL port", "targets:\n  - host: https://a:" + big + "/\n", "t.yaml:2:11: host: \"https://a:xxx"},
		{"bad URL scheme", "targets:\n  - host: " + big + "://a\n", "t.yaml:2:11: host: \"xxxx"},
		{"server name", "targets:\n  - host: a\n    servername: " + big + "!\n", "t.yaml:3:17: servername: \"xxxx"},
		{"duplicate name", "targets:\n  - {host: a, name: " + big + "}\n  - {host: b, name: " + big + "}\n", "duplicate name \"xxxx"},
		{"port", "targets:\n  - host: a\n    port: " + big + "\n", "t.yaml:3:11: port: expected a whole number, got \"xxxx"},
		{"zero timeout", "targets:\n  - host: a\n    timeout: " + strings.Repeat("0", 1<<20) + "s\n", "t.yaml:3:14: timeout: must be longer than zero, got \"0000"},
		{"http_path", "targets:\n  - host: a\n    http_path: " + big + "\n", "t.yaml:3:16: http_path: must start with /, got \"xxxx"},
		{"http_method", "targets:\n  - host: a\n    http_method: " + big + "\n", "http_method: must be GET or HEAD, got \"xxxx"},
		{"protocol", "targets:\n  - host: a\n    protocol: " + big + "\n", "protocol: must be https"},
		{"header name", "targets:\n  - host: a\n    http_headers:\n      ? \"" + big + " \"\n      : v\n", "http_headers: \"xxxx"},
		{"repeated header", "targets:\n  - host: a\n    http_headers:\n      ? " + big + "\n      : v\n      ? " + big + "\n      : w\n", "t.yaml:4:7: http_headers: "},
		{"check pattern", "targets:\n  - host: a\n    checks: [" + big + "]\n", "checks: \"xxxx"},
		{"profile", "targets:\n  - host: a\n    profile: " + big + "\n", "profile: unknown profile \"xxxx"},
		{"pin", "targets:\n  - host: a\n    pins: [" + big + "]\n", "pins: \"xxxx"},
		{"zlint", "targets:\n  - host: a\n    zlint: [" + big + "]\n", "zlint: unknown zlint source \"xxxx"},
		{"accept until", "targets:\n  - host: a\n    accept: [{check: cert-*, until: " + big + ", reason: r}]\n", "until: expected a date such as 2026-12-31, got \"xxxx"},
		{"sources", "targets:\n  - host: a\n    sources: [" + big + "]\n", "sources: \"xxxx"},
		{"unknown anchor", "targets:\n  - host: *" + big + "\n", "t.yaml:2: invalid YAML: unknown anchor 'xxxx"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, "t.yaml", c.yaml)
			_, err := Load(p, opts())
			if err == nil {
				t.Fatal("no error")
			}
			got := errorText(p, err)
			if !strings.Contains(got, c.want) {
				t.Errorf("error lacks %q:\n%.2000s", c.want, got)
			}
			for _, line := range strings.Split(got, "\n") {
				if len(line) > 600 {
					t.Errorf("an error line of %d bytes: %.300s…", len(line), line)
				}
			}
		})
	}
	t.Run("line list", func(t *testing.T) {
		_, err := FromArgs([]string{"a " + big + " c"}, opts())
		if err == nil || len(err.Error()) > 600 || !strings.Contains(err.Error(), "argument 1: expected host[:port] and an optional server name, got \"a xxx") {
			t.Errorf("error (%d bytes): %.600v", len(fmt.Sprint(err)), err)
		}
	})
}
