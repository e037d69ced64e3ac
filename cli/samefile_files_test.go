package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeKeyPair writes a self-signed certificate and its key as PEM.
func writeKeyPair(t *testing.T, certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "scanner"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
}

// TestOutputNeverOverwritesAFileATargetsFileNames: the CA file and the
// client certificate and key a targets file names are inputs too, found
// only once the file is read: -o or --sarif naming one (directly, or
// through a hard or symbolic link) is a usage error before anything is
// dialed, and the file is left alone.
func TestOutputNeverOverwritesAFileATargetsFileNames(t *testing.T) {
	dir := t.TempDir()
	ca, cert, key := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem")
	writeKeyPair(t, cert, key)
	data, _ := os.ReadFile(cert)
	os.WriteFile(ca, data, 0o644)
	yaml := filepath.Join(dir, "targets.yaml")
	os.WriteFile(yaml, []byte("defaults:\n  ca: ca.pem\n  client_cert: client.pem\n  client_key: client-key.pem\ntargets:\n  - host: 127.0.0.1\n    port: 1\n"), 0o644)
	hard := filepath.Join(t.TempDir(), "hard.pem")
	if err := os.Link(key, hard); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link.pem")
	os.Symlink(cert, link)
	before := map[string][]byte{}
	for _, p := range []string{ca, cert, key} {
		before[p], _ = os.ReadFile(p)
	}
	for _, c := range []struct{ name, flag, path string }{
		{"ca", "-o", ca},
		{"client_cert", "--sarif", cert},
		{"client_key", "-o", key},
		{"client_key through a hard link", "-o", hard},
		{"client_cert through a symbolic link", "--sarif", link},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := run(t, "", "scan", "-f", yaml, "--format", "json", c.flag, c.path)
			if code != ExitUsage || !strings.Contains(errOut, "is the same file as") {
				t.Errorf("exit %d, want %d\n%s", code, ExitUsage, errOut)
			}
			if strings.Contains(errOut, "connect") {
				t.Errorf("dialed before refusing: %s", errOut)
			}
			for p, want := range before {
				if got, _ := os.ReadFile(p); string(got) != string(want) {
					t.Errorf("%s was overwritten", p)
				}
			}
		})
	}
}

// TestOutputNeverLandsInTheSourceTree: with --discover, a report inside
// the source tree (it would be read as part of the app next time, or
// replace a source file), or a hard link to one of its files, is a usage
// error before anything is dialed.
func TestOutputNeverLandsInTheSourceTree(t *testing.T) {
	tree := t.TempDir()
	src := filepath.Join(tree, "lib", "api.dart")
	os.MkdirAll(filepath.Dir(src), 0o755)
	const code = "const retries = 3;\n"
	os.WriteFile(src, []byte(code), 0o644)
	outside := t.TempDir()
	hard := filepath.Join(outside, "report.json")
	if err := os.Link(src, hard); err != nil {
		t.Fatal(err)
	}
	treeLink := filepath.Join(outside, "tree")
	os.Symlink(tree, treeLink)
	for _, c := range []struct{ name, flag, path string }{
		{"a source file", "-o", src},
		{"a new file in the tree", "-o", filepath.Join(tree, "report.json")},
		{"a new file in the tree through a link", "--sarif", filepath.Join(treeLink, "lib", "report.sarif")},
		{"a hard link to a source file", "-o", hard},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := run(t, "", "scan", "--discover", tree, "--format", "json", c.flag, c.path)
			if code != ExitUsage || !strings.Contains(errOut, "source tree") {
				t.Errorf("exit %d, want %d\n%s", code, ExitUsage, errOut)
			}
		})
	}
	if got, _ := os.ReadFile(src); string(got) != code {
		t.Errorf("the source file was overwritten: %q", got)
	}
	if left, _ := filepath.Glob(filepath.Join(tree, "*.json")); len(left) > 0 {
		t.Errorf("written into the tree: %v", left)
	}
}
