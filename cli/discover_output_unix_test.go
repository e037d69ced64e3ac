//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiscoverOutputNeverAnInput: discover -o naming a file the same run
// reads — the --drop-file, the tree's .tlsaudit-drop, a .gitignore, a
// source file of the tree (a config YAML, or a hard link to one) — is a
// usage error and the file is left as it was; even one holding only
// comments, which a merge would otherwise have rewritten as targets. A
// targets file in the tree (written by an earlier discover -o) is updated.
func TestDiscoverOutputNeverAnInput(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	app := filepath.Join("app")
	files := map[string]string{
		"app/lib/a.dart":       "const api = 'https://api.example-app.com/v1';\n",
		"app/lib/config.yaml":  "api:\n  url: https://b.example-app.com/v1\n",
		"app/.tlsaudit-drop":   "# hosts to drop\n",
		"app/.gitignore":       "# nothing ignored\n",
		"app/sub/.gitignore":   "",
		"drops.txt":            "# my drops\n",
		"app/lib/empty.yaml":   "",
		"app/lib/comment.yaml": "# a comment\n",
	}
	for name, content := range files {
		os.MkdirAll(filepath.Dir(name), 0o755)
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Link("app/lib/config.yaml", "linked.yaml"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		out   string
		extra []string
		file  string
	}{
		{"drops.txt", []string{"--drop-file", "drops.txt"}, "drops.txt"},
		{"app/.tlsaudit-drop", nil, "app/.tlsaudit-drop"},
		{"app/.gitignore", nil, "app/.gitignore"},
		{"app/sub/.gitignore", nil, "app/sub/.gitignore"},
		{"app/lib/config.yaml", nil, "app/lib/config.yaml"},
		{"linked.yaml", nil, "app/lib/config.yaml"},
		{"app/lib/a.dart", nil, "app/lib/a.dart"},
	} {
		args := append([]string{"discover", app, "-o", c.out}, c.extra...)
		code, _, errOut := run(t, "", args...)
		if code != ExitUsage || !strings.Contains(errOut, "-o "+c.out+" ") {
			t.Errorf("%v: exit %d, want %d\n%s", args, code, ExitUsage, errOut)
		}
		if data, _ := os.ReadFile(c.file); string(data) != files[c.file] {
			t.Errorf("%v: %s changed to %q", args, c.file, data)
		}
	}
	// A targets file in the tree, new, then updated; an empty or
	// comment-only YAML file may become one.
	for _, out := range []string{"app/targets.yaml", "app/targets.yaml", "app/lib/empty.yaml", "app/lib/comment.yaml"} {
		code, _, errOut := run(t, "", "discover", app, "-o", out)
		if code != ExitOK {
			t.Errorf("-o %s: exit %d\n%s", out, code, errOut)
		}
	}
}
