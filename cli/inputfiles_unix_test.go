//go:build unix

package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/targets"
)

// TestScanProcessSubstitution: `scan -f <(cmd)` names a pipe, /dev/fd/N,
// that can be read once; the scan reads it once and scans every line.
func TestScanProcessSubstitution(t *testing.T) {
	list, ca := labList(t, "good")
	data, err := os.ReadFile(list)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	name := fmt.Sprintf("/dev/fd/%d", r.Fd())
	if _, err := os.Stat(name); err != nil {
		t.Skipf("no %s", name)
	}
	go func() {
		w.Write(data)
		w.Close()
	}()
	code, out, errOut := run(t, "", "scan", "-f", name, "--ca", ca, "--format", "json", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if n := len(parseDoc(t, out).Results); n != 1 {
		t.Errorf("%d results, want 1", n)
	}
}

// TestDiscoverNameWithNewline: a file name holding a newline and YAML is
// written as one source; the targets file holds exactly the app's host.
func TestDiscoverNameWithNewline(t *testing.T) {
	base := t.TempDir()
	app := filepath.Join(base, "app")
	evil := "x\n  - host: injected.example.org\n    ca: passwd.pem\n#.dart"
	if err := os.MkdirAll(filepath.Join(app, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "lib", evil), []byte("const api = 'https://api.example-app.com/v1';\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(base, "targets.yaml")
	for range 2 { // written, then merged into
		code, _, errOut := run(t, "", "discover", app, "-o", out)
		if code != ExitOK {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
		f, err := targets.Load(out, targets.Options{})
		if err != nil {
			data, _ := os.ReadFile(out)
			t.Fatalf("%v\n%s", err, data)
		}
		if len(f.Targets) != 1 || f.Targets[0].Host != "api.example-app.com" || f.Targets[0].Roots != nil {
			t.Fatalf("targets = %+v", f.Targets)
		}
		if s := f.Targets[0].Sources; len(s) != 1 || s[0].File != filepath.ToSlash(filepath.Join(base, "app", "lib", evil)) || s[0].Line != 1 {
			t.Errorf("sources = %+v", s)
		}
	}
}

// TestDiscoverTreeLinkAndEmptyTree: `discover LINK` reads the tree LINK
// points to; a tree with no file to read is a usage error (exit 2), not
// a pass with no hosts.
func TestDiscoverTreeLinkAndEmptyTree(t *testing.T) {
	base := t.TempDir()
	app := filepath.Join(base, "app")
	os.MkdirAll(filepath.Join(app, "lib"), 0o755)
	os.WriteFile(filepath.Join(app, "lib", "a.dart"), []byte("const api = 'https://api.example-app.com/v1';\n"), 0o644)
	link := filepath.Join(base, "link")
	if err := os.Symlink(app, link); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "", "discover", link)
	if code != ExitOK || !strings.Contains(out, "host: api.example-app.com") || !strings.Contains(errOut, "read 1 file ") {
		t.Errorf("discover LINK: exit %d\n%s\n%s", code, out, errOut)
	}
	// The targets file written into the tree, named through the link, is
	// not read back as source.
	out = filepath.Join(app, "targets.yaml")
	for range 2 {
		code, _, errOut = run(t, "", "discover", link, "-o", out)
		if code != ExitOK || !strings.Contains(errOut, "read 1 file ") {
			t.Errorf("discover LINK -o: exit %d\n%s", code, errOut)
		}
	}
	empty := filepath.Join(base, "empty")
	os.MkdirAll(empty, 0o755)
	for _, args := range [][]string{{"discover", empty}, {"scan", "--discover", empty}} {
		code, _, errOut := run(t, "", args...)
		if code != ExitUsage || !strings.Contains(errOut, "no source file to read") {
			t.Errorf("%v: exit %d, want %d\n%s", args, code, ExitUsage, errOut)
		}
	}
}

// TestDropFileSecretsStayOut: neither the tree's .tlsaudit-drop linking to
// an environment dump nor --drop-file naming one prints any of it.
func TestDropFileSecretsStayOut(t *testing.T) {
	base := t.TempDir()
	app := filepath.Join(base, "app")
	os.MkdirAll(filepath.Join(app, "lib"), 0o755)
	os.WriteFile(filepath.Join(app, "lib", "a.dart"), []byte("const api = 'https://api.example-app.com/v1';\n"), 0o644)
	environ := filepath.Join(base, "environ")
	os.WriteFile(environ, []byte("SECRET_TOKEN=abc\x00HOME=/root\x00"), 0o600)

	code, out, errOut := run(t, "", "discover", app, "--drop-file", environ)
	if code != ExitUsage || strings.Contains(out+errOut, "SECRET") {
		t.Errorf("--drop-file: exit %d\n%s%s", code, out, errOut)
	}
	if err := os.Symlink(environ, filepath.Join(app, ".tlsaudit-drop")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "", "discover", app)
	if code != ExitUsage || strings.Contains(out+errOut, "SECRET") || !strings.Contains(errOut, "leads out of the source tree") {
		t.Errorf(".tlsaudit-drop: exit %d\n%s%s", code, out, errOut)
	}
}
