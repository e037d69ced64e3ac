package targets

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzLoadYAML loads arbitrary YAML as a targets file: it must never
// panic, every error must be a positioned input error (or say what is
// wrong), and a file that loads must give well-formed, uniquely named
// targets.
func FuzzLoadYAML(f *testing.F) {
	if ex, err := os.ReadFile("../targets.example.yaml"); err == nil {
		f.Add(string(ex))
	}
	for _, s := range []string{
		"targets:\n  - host: a.example\n",
		"defaults:\n  timeout: 5s\n  port: 8443\ntargets:\n  - host: https://a.example:444/x\n    name: a\n  - host: '[::1]'\n",
		"base: &b\n  port: 1\ntargets:\n  - <<: *b\n    host: x\n",
		"targets: [{host: a}, {host: a}]\n",
		"targets:\n  - host: a\n    ca: /etc/passwd\n",
		"a: b\nc: d: e\n",
		"\xff\xfe",
		"targets:\n  - host: " + strings.Repeat("a", 300) + "\n",
		// Merge keys nested nine deep, nine-fold: 9^9 mappings unbounded.
		nestedMerges(9, 9),
		nestedMerges(3, 2),
		"targets:\n  - &t {host: a}\n  - {<<: [*t, *t], host: b, http_headers: {<<: {X-A: a}}}\n",
		"targets:\n  - host: a\n  port: 1\n",
	} {
		f.Add(s)
	}
	for _, c := range aliasShapes() {
		f.Add(c.yaml)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		p := filepath.Join(dir, "t.yaml")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		file, err := Load(p, opts())
		if err != nil {
			checkInputError(t, err)
			return
		}
		checkTargets(t, file)
	})
}

// FuzzLines reads an arbitrary line list both ways the scanner can, loaded
// whole and streamed in two passes, and checks they agree: the same
// targets in the same order, or both an error.
func FuzzLines(f *testing.F) {
	for _, s := range []string{
		"example.com\napi.example.com:8443\n# comment\n\n[2001:db8::1]:443\n192.0.2.7 www.example.com\n",
		"https://a.example/p\nhttps://a.example:443/q\n",
		"a.example\na.example\n",
		"a.example b.example c.example\n",
		"[::1\n",
		"\x00\xff\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		o := opts()
		o.Stdin = strings.NewReader(content)
		whole, errWhole := Load("-", o)
		o.Stdin = strings.NewReader(content)
		src, errStream := Open("-", o)
		if (errWhole == nil) != (errStream == nil) {
			t.Fatalf("loaded: %v; streamed: %v", errWhole, errStream)
		}
		if errWhole != nil {
			checkInputError(t, errWhole)
			if errWhole.Error() != errStream.Error() {
				t.Errorf("errors differ:\nloaded:   %v\nstreamed: %v", errWhole, errStream)
			}
			return
		}
		defer src.Close()
		checkTargets(t, whole)
		got := names(src.All())
		if want := names(slices.Values(whole.Targets)); !slices.Equal(got, want) {
			t.Errorf("streamed %v, loaded %v", got, want)
		}
		if src.Err() != nil {
			t.Error(src.Err())
		}
	})
}

func checkInputError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) && !strings.Contains(err.Error(), "read") {
		t.Errorf("not an input error: %T %v", err, err)
	}
}

func checkTargets(t *testing.T, f *File) {
	t.Helper()
	seen := map[string]bool{}
	for _, tg := range f.Targets {
		if tg.Host == "" || tg.Port < 1 || tg.Port > 65535 || tg.Name == "" || tg.ServerName == "" {
			t.Errorf("malformed target %+v", tg)
		}
		if seen[tg.Name] {
			t.Errorf("duplicate name %q", tg.Name)
		}
		seen[tg.Name] = true
		if tg.Deadline < tg.ConnectTimeout {
			t.Errorf("%s: deadline %v below timeout %v", tg.Name, tg.Deadline, tg.ConnectTimeout)
		}
	}
}
