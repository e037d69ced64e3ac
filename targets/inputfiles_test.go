package targets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorQuotesAnExcerpt: a megabyte-long line is quoted in a few
// hundred bytes, whichever error quotes it.
func TestErrorQuotesAnExcerpt(t *testing.T) {
	long := strings.Repeat("a", maxLine-10)
	for name, content := range map[string]string{
		"host.txt":   long + "\n",                              // "…" is not a valid host name
		"fields.txt": "a.example " + long[:maxLine/2] + " c\n", // expected host[:port] ..., got "…"
		"t.yaml":     "targets:\n  - host: " + long + "\n",
	} {
		_, err := Load(write(t, name, content), opts())
		if err == nil || len(err.Error()) > 1024 {
			n := 0
			if err != nil {
				n = len(err.Error())
			}
			t.Errorf("%s: error of %d bytes: %.200v", name, n, err)
		}
	}
}

// TestLineListNotEchoed: a binary file given as a line list (an
// environment dump) is refused without a byte of it in the error.
func TestLineListNotEchoed(t *testing.T) {
	p := write(t, "hosts.txt", "SECRET_TOKEN=abc\x00HOME=/root\x00")
	for _, load := range []func() error{
		func() error { _, err := Load(p, opts()); return err },
		func() error { _, err := Open(p, opts()); return err },
	} {
		err := load()
		if err == nil || strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), "hosts.txt:1:1: holds a NUL byte") {
			t.Errorf("err = %v", err)
		}
	}
}

// TestCertFilesCapped: a CA or client certificate file larger than
// inputfile.CertCap is refused by size, not read whole.
func TestCertFilesCapped(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(big, make([]byte, 2<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCA(big); err == nil || !strings.Contains(err.Error(), "big.pem: larger than 1 MiB") {
		t.Errorf("LoadCA: %v", err)
	}
	if _, err := LoadClientCert(big, big); err == nil || !strings.Contains(err.Error(), "big.pem: larger than 1 MiB") {
		t.Errorf("LoadClientCert: %v", err)
	}
}
