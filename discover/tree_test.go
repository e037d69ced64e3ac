package discover_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/discover"
)

// writeTree writes files (path in the tree → content) under a new folder.
func writeTree(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestNoSourceFiles: a tree with nothing discover reads is an input
// error, not a clean result with no hosts.
func TestNoSourceFiles(t *testing.T) {
	dir := writeTree(t, t.TempDir(), map[string]string{"README.md": "https://api.example-app.com", "build/app.js": "x"})
	_, err := discover.Run(dir, discover.Options{})
	var ie *discover.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "no source file to read (skipped: 1 build, dependency or test folder)") {
		t.Errorf("err = %v", err)
	}
}

// TestDropFileExcerpt: a drop file line in error is quoted short, and a
// binary file given as drop file (an environment dump) not at all.
func TestDropFileExcerpt(t *testing.T) {
	base := t.TempDir()
	dir := writeTree(t, filepath.Join(base, "app"), map[string]string{"lib/a.dart": "const u = 'https://api.example-app.com';\n"})
	long := filepath.Join(base, "long-drop")
	os.WriteFile(long, []byte(strings.Repeat("x!", 1<<18)+"\n"), 0o644)
	_, err := discover.Run(dir, discover.Options{DropFile: long})
	if err == nil || len(err.Error()) > 300 || !strings.Contains(err.Error(), "more bytes) is not a host name") {
		t.Errorf("err (%d bytes) = %.300s", len(err.Error()), err)
	}
	environ := filepath.Join(base, "environ")
	os.WriteFile(environ, []byte("SECRET_TOKEN=abc\x00HOME=/root\x00"), 0o600)
	_, err = discover.Run(dir, discover.Options{DropFile: environ})
	if err == nil || strings.Contains(err.Error(), "SECRET_TOKEN") || !strings.Contains(err.Error(), "holds NUL bytes") {
		t.Errorf("err = %v", err)
	}
}

// TestDartAssetOutsideTree: an asset path that leads out of the tree is
// not read, even when a certificate waits there; the pin set says so.
func TestDartAssetOutsideTree(t *testing.T) {
	pem, err := os.ReadFile(sample + "/assets/certs/api_ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	writeTree(t, base, map[string]string{"outside/x.pem": string(pem)})
	dir := writeTree(t, filepath.Join(base, "app"), map[string]string{
		"lib/client.dart": `import 'dart:io';
final api = Uri.https('api.example-app.com', '/v1');
HttpClient client() {
  final ctx = SecurityContext()..setTrustedCertificates('../../outside/x.pem');
  return HttpClient(context: ctx);
}
`,
	})
	d, err := discover.Run(dir, discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.PinSets) != 1 {
		t.Fatalf("pin sets = %+v", d.PinSets)
	}
	ps := d.PinSets[0]
	if len(ps.Certs) != 0 || ps.Unresolved != "../../outside/x.pem would be outside the source tree (not read)" {
		t.Errorf("certs %d, unresolved %q", len(ps.Certs), ps.Unresolved)
	}
}

// TestDartUriPortRange: a Uri() whose port no socket can have names no
// host the app reaches, so none is discovered (and none with that port).
func TestDartUriPortRange(t *testing.T) {
	dir := writeTree(t, t.TempDir(), map[string]string{
		"lib/api.dart": "final a = Uri(scheme: 'https', host: 'api.example-app.com', port: 99999, path: '/v1');\n" +
			"final b = Uri(scheme: 'https', host: 'ok.example-app.com', port: 8443, path: '/v1');\n",
	})
	d, err := discover.Run(dir, discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range d.Hosts {
		got = append(got, h.HostPort())
	}
	if strings.Join(got, " ") != "ok.example-app.com:8443" {
		t.Errorf("hosts %v, want only ok.example-app.com:8443", got)
	}
}
