//go:build unix

package discover_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tlsaudit/tlsaudit/discover"
)

// secretFile stands for /proc/self/environ: what a link out of the tree
// could show.
func secretFile(t *testing.T, dir string) string {
	p := filepath.Join(dir, "environ")
	if err := os.WriteFile(p, []byte("SECRET_TOKEN=abc\x00HOME=/root\x00"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDropFileLinkOutOfTree: the tree's .tlsaudit-drop linking out of the
// tree is refused, by name, without a byte of what it points to.
func TestDropFileLinkOutOfTree(t *testing.T) {
	base := t.TempDir()
	dir := writeTree(t, filepath.Join(base, "app"), map[string]string{"lib/a.dart": "const u = 'https://api.example-app.com';\n"})
	if err := os.Symlink(secretFile(t, base), filepath.Join(dir, discover.DropFileName)); err != nil {
		t.Fatal(err)
	}
	_, err := discover.Run(dir, discover.Options{})
	var ie *discover.InputError
	if !errors.As(err, &ie) || strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), "app/.tlsaudit-drop: leads out of the source tree") {
		t.Errorf("err = %v", err)
	}
}

// TestIgnoreFilesThatHang: .gitignore and .git/info/exclude linked to
// /dev/zero or out of the tree, or FIFOs nobody writes to, are left out
// (and counted) instead of read for ever.
func TestIgnoreFilesThatHang(t *testing.T) {
	base := t.TempDir()
	dir := writeTree(t, filepath.Join(base, "app"), map[string]string{
		"lib/a.dart":           "const u = 'https://api.example-app.com';\n",
		"web/b.js":             "fetch('https://cdn.example-app.com/x');\n",
		"ios/.keep":            "",
		".git/info/attributes": "",
	})
	links := map[string]string{".gitignore": "/dev/zero", ".git/info/exclude": secretFile(t, base)}
	if _, err := os.Stat("/dev/zero"); err != nil {
		links[".gitignore"] = secretFile(t, base)
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, fifo := range []string{"web/.gitignore", "ios/.gitignore"} {
		if err := syscall.Mkfifo(filepath.Join(dir, fifo), 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	d, err := discover.Run(dir, discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Stats.Files != 2 || d.Stats.Unreadable != 4 || len(d.Hosts) != 2 {
		t.Errorf("stats %+v, hosts %d", d.Stats, len(d.Hosts))
	}
}

// TestTreeGivenAsLink: `discover LINK`, LINK a link to the tree, reads
// the tree (it read nothing, and passed).
func TestTreeGivenAsLink(t *testing.T) {
	base := t.TempDir()
	writeTree(t, filepath.Join(base, "app"), map[string]string{"lib/a.dart": "const u = 'https://api.example-app.com';\n"})
	link := filepath.Join(base, "link")
	if err := os.Symlink("app", link); err != nil {
		t.Fatal(err)
	}
	d, err := discover.Run(link, discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Stats.Files != 1 || len(d.Hosts) != 1 || d.Hosts[0].Sources[0].File != filepath.ToSlash(link)+"/lib/a.dart" {
		t.Errorf("files %d, hosts %+v", d.Stats.Files, d.Hosts)
	}
}

// TestSourceLinkOutOfTree: a source file linking out of the tree is not
// read, so its content never reaches a finding or a host.
func TestSourceLinkOutOfTree(t *testing.T) {
	base := t.TempDir()
	dir := writeTree(t, filepath.Join(base, "app"), map[string]string{"lib/a.dart": "const u = 'https://api.example-app.com';\n"})
	writeTree(t, base, map[string]string{"outside/b.dart": "const v = 'https://outside.example-other.com';\n"})
	if err := os.Symlink("../../outside/b.dart", filepath.Join(dir, "lib", "b.dart")); err != nil {
		t.Fatal(err)
	}
	d, err := discover.Run(dir, discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Hosts) != 1 || d.Hosts[0].Host != "api.example-app.com" {
		t.Errorf("hosts = %+v", d.Hosts)
	}
}
