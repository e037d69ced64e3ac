package targets

import (
	"fmt"
	"strings"
	"testing"
)

// TestSyntaxErrorLines checks that a YAML syntax error names the line
// that is wrong. The yaml package names the line where the enclosing list
// or mapping began, counted from 0 (so often the line before), or no line
// at all.
func TestSyntaxErrorLines(t *testing.T) {
	var long strings.Builder
	long.WriteString("targets:\n")
	for i := range 500 {
		fmt.Fprintf(&long, "  - host: h%d.example\n    port: 443\n", i)
	}
	long.WriteString("  port: 1\n") // line 1002
	for i := range 100 {
		fmt.Fprintf(&long, "  - host: g%d.example\n", i)
	}
	cases := []struct{ name, yaml, want string }{
		{"bad indentation in a list", "targets:\n  - host: a\n  port: 1\n", "t.yaml:3: invalid YAML: did not find expected '-' indicator"},
		{"odd indentation in a list", "targets:\n  - host: a\n   port: 1\n", "t.yaml:3: invalid YAML: did not find expected '-' indicator"},
		{"bad indentation in a mapping", "defaults:\n  port: 1\n timeout: 5s\ntargets: []\n", "t.yaml:3: invalid YAML: did not find expected key"},
		{"bad indentation deep in a long file", long.String(), "t.yaml:1002: invalid YAML: did not find expected '-' indicator"},
		{"unclosed flow list", "targets:\n  - host: a\n    port: [1\n", "t.yaml:3: invalid YAML: did not find expected ',' or ']'"},
		{"unclosed flow list before more", "targets:\n  - host: a\n    tags: [a, b\n  - host: b\n", "t.yaml:3: invalid YAML: did not find expected ',' or ']'"},
		{"stray closing brace", "targets:\n  - host: a\n    name: }\n", "t.yaml:3: invalid YAML: did not find expected node content"},
		{"tab indentation", "targets:\n  - host: a\n\tport: 1\n", "t.yaml:3: invalid YAML: found a tab character that violates indentation"},
		{"unknown anchor", "targets:\n  - host: a\n    <<: *nope\n", "t.yaml:3: invalid YAML: unknown anchor 'nope' referenced"},
		{"mapping in a value", "targets:\n  - host: a\n    ca: x: y\n", "t.yaml:3: invalid YAML: mapping values are not allowed in this context"},
		{"unterminated quote", "targets:\n  - host: a\n    name: \"x\n", "t.yaml:3: invalid YAML: found unexpected end of stream"},
		{"reserved character", "targets:\n  - host: a\n    name: `x`\n", "t.yaml:3: invalid YAML: found character that cannot start any token"},
		{"second document", "targets:\n  - host: a\n---\ntargets:\n  - host: b\n port: 1\n", "t.yaml:6: invalid YAML"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, "t.yaml", c.yaml)
			_, err := Load(p, opts())
			if err == nil {
				t.Fatal("no error")
			}
			if got := errorText(p, err); !strings.HasPrefix(got, c.want) {
				t.Errorf("error:\n  %s\nwant:\n  %s", got, c.want)
			}
		})
	}
}

// TestSyntaxErrorShort checks that a syntax error quoting the file (an
// unknown anchor's name) stays short.
func TestSyntaxErrorShort(t *testing.T) {
	p := write(t, "t.yaml", "targets:\n  - host: a\n    <<: *"+strings.Repeat("n", 1<<20)+"\n")
	_, err := Load(p, opts())
	if err == nil || len(err.Error()) > 400 || !strings.Contains(errorText(p, err), "t.yaml:3: invalid YAML: unknown anchor 'nnnn") {
		t.Errorf("error (%d bytes): %.400v", len(fmt.Sprint(err)), err)
	}
}
