package targets

import (
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// hostile are file names a source tree may hold: each must be written as
// one value, never as YAML of its own.
var hostile = []string{
	"lib/x\n  - host: injected.example.org\n    ca: /etc/passwd\n#.dart:3",
	"lib/key: value.dart:1",
	"lib/- host: injected.example.org.dart:2",
	"lib/#comment.dart:4",
	"lib/line\u2028sep\u0085nel\rcr.dart:5",
	"lib/\"quoted' 'both\\.dart:6",
	"lib/&anchor *alias !tag |literal >folded.dart:7",
}

// targetsOf parses data as YAML (as any reader would, not only Load) and
// returns each target's host and sources.
func targetsOf(t *testing.T, data []byte) map[string][]string {
	t.Helper()
	var doc struct {
		Targets []struct {
			Host    string   `yaml:"host"`
			Sources []string `yaml:"sources"`
		} `yaml:"targets"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	out := map[string][]string{}
	for _, tg := range doc.Targets {
		out[tg.Host] = tg.Sources
	}
	return out
}

// TestDiscoveredNamesStayData: a new file and a merge write hostile file
// names (and notes) as values, which read back exactly, and add no target
// or key.
func TestDiscoveredNamesStayData(t *testing.T) {
	hosts := []Discovered{
		{Host: "api.example.net", Port: 443, Sources: hostile, Notes: []string{"pinned by lib/x\n- host: injected.example.org"}},
		{Host: "cdn.example.net", Port: 443, Sources: []string{"web/a.js:1"}},
	}
	check := func(what string, data []byte) {
		t.Helper()
		got := targetsOf(t, data)
		if len(got) != 2 || !slices.Equal(got["api.example.net"], hostile) || !slices.Equal(got["cdn.example.net"], []string{"web/a.js:1"}) {
			t.Errorf("%s: targets %q\n%s", what, got, data)
		}
		if strings.Contains(string(data), "\n- host: injected") || strings.Contains(string(data), "\n    ca:") {
			t.Errorf("%s: a name's text became YAML:\n%s", what, data)
		}
		p := write(t, "t.yaml", string(data))
		f, err := Load(p, opts())
		if err != nil || len(f.Targets) != 2 || len(f.Targets[0].Sources) != len(hostile) {
			t.Errorf("%s: Load: %v", what, err)
		}
	}
	fresh, err := NewDiscoveredFile([]string{"found in ./app\n- host: injected.example.org"}, hosts)
	if err != nil {
		t.Fatal(err)
	}
	check("new file", fresh)

	// Replaced sources, added under a host, and appended entries.
	user := "targets:\n  - host: api.example.net\n    sources:\n      - old.dart:1\n  - host: cdn.example.net\n"
	merged, _, err := MergeDiscovered([]byte(user), hosts)
	if err != nil {
		t.Fatal(err)
	}
	check("merge", merged)
	appended, st, err := MergeDiscovered([]byte("targets:\n  - host: other.example.net\n"), hosts)
	if err != nil || st.Added != 2 {
		t.Fatalf("%v, %+v", err, st)
	}
	if got := targetsOf(t, appended); len(got) != 3 || !slices.Equal(got["api.example.net"], hostile) {
		t.Errorf("append: %q\n%s", got, appended)
	}
}

// TestComment: every line of a comment is one escaped comment line.
func TestComment(t *testing.T) {
	got := Comment("  ", "a\nb\x1b[2J\u2028c\r")
	if got != "  # a\n  # b\\x1b[2J\\u2028c\\r\n" {
		t.Errorf("Comment = %q", got)
	}
}
