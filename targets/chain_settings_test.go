package targets

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeKeyPair writes a client certificate and its key into dir.
func writeKeyPair(t *testing.T, dir string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "client.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(filepath.Join(dir, "client-key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600)
}

func pinOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

func TestChainSettings(t *testing.T) {
	dir := t.TempDir()
	writeKeyPair(t, filepath.Join(dir))
	pin1, pin2 := pinOf("a"), pinOf("b")
	p := filepath.Join(dir, "t.yaml")
	os.WriteFile(p, []byte(`defaults:
  zlint: [rfc5280]
targets:
  - host: a.example
    pins:
      - "sha256/`+pin1+`"
      - "sha256/`+pin2+`"
    client_cert: client.pem
    client_key: client-key.pem
    online_revocation: true
  - host: b.example
    zlint: [all]
`), 0o644)
	f, err := Load(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	a, b := f.Targets[0], f.Targets[1]
	if !slices.Equal(a.Pins, []string{pin1, pin2}) || a.ClientCert == nil || !a.OnlineRevocation || !slices.Equal(a.Zlint, []string{"RFC5280"}) {
		t.Errorf("a = pins %v, client cert %v, online %v, zlint %v", a.Pins, a.ClientCert != nil, a.OnlineRevocation, a.Zlint)
	}
	if b.Pins != nil || b.ClientCert != nil || b.OnlineRevocation || !slices.Equal(b.Zlint, []string{"all"}) {
		t.Errorf("b = pins %v, client cert %v, online %v, zlint %v", b.Pins, b.ClientCert != nil, b.OnlineRevocation, b.Zlint)
	}
}

func TestChainSettingsErrors(t *testing.T) {
	good := pinOf("x")
	cases := []struct {
		name, yaml, want string
	}{
		{"pin without prefix", "targets:\n  - host: a.example\n    pins: [\"" + good + "\"]\n", `t.yaml:3:12: pins: "` + good + `": a pin is sha256/BASE64`},
		{"second pin not base64", "targets:\n  - host: a.example\n    pins:\n      - sha256/" + good + "\n      - sha256/not*base64\n", `t.yaml:5:9: pins: "sha256/not*base64": not standard base64`},
		{"pin of the wrong length", "targets:\n  - host: a.example\n    pins: [sha256/AAAA]\n", `t.yaml:3:12: pins: "sha256/AAAA": holds 3 bytes, a SHA-256 hash has 32`},
		{"client_cert alone", "targets:\n  - host: a.example\n    client_cert: c.pem\n", "t.yaml:3:18: client_cert: given without client_key"},
		{"client_key alone", "defaults:\n  client_key: k.pem\ntargets:\n  - host: a.example\n", "t.yaml:2:15: client_key: given without client_cert"},
		{"client cert unreadable", "targets:\n  - host: a.example\n    client_cert: c.pem\n    client_key: k.pem\n", "t.yaml:3:18: client_cert: cannot load client certificate"},
		{"unknown zlint source", "targets:\n  - host: a.example\n    zlint: [RFC9999]\n", `t.yaml:3:12: zlint: unknown zlint source "RFC9999" (known: all, Apple, CABF_BR,`},
		{"online_revocation not a bool", "targets:\n  - host: a.example\n    online_revocation: yes please\n", "t.yaml:3:24: online_revocation: expected true or false"},
		{"unknown zlint rule in skip_checks", "targets:\n  - host: a.example\n    skip_checks: [zlint/e_nope]\n", `t.yaml:3:18: skip_checks: "zlint/e_nope" matches no check`},
	}
	checkLoadErrors(t, cases)
	// zlint rules are valid check patterns.
	p := write(t, "t.yaml", "targets:\n  - host: a.example\n    skip_checks: [\"zlint/w_*\"]\n    checks: [zlint/e_sub_cert_aia_missing]\n")
	if _, err := Load(p, opts()); err != nil {
		t.Error(err)
	}
}

// TestCertFileErrorsQuoteShortPaths: a CA, client certificate or key path
// of any length (a targets file can hold a megabyte of one) is quoted
// short in errors, whether it could not be opened or held no certificate.
func TestCertFileErrorsQuoteShortPaths(t *testing.T) {
	dir := t.TempDir()
	deep := dir
	for range 8 {
		deep = filepath.Join(deep, strings.Repeat("d", 60))
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Skip(err)
	}
	junk := filepath.Join(deep, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate\n"), 0o600); err != nil {
		t.Skip(err)
	}
	missing := filepath.Join(dir, strings.Repeat("m", 5000))
	for name, err := range map[string]error{
		"CA without certificates": second(LoadCA(junk)),
		"CA path too long":        second(LoadCA(missing)),
		"client cert":             second(LoadClientCert(junk, missing)),
	} {
		if err == nil || len(err.Error()) > 1000 {
			t.Errorf("%s: %d bytes: %.200v…", name, len(fmt.Sprint(err)), err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// TestParsePinOneByte: a pin of one byte says so in the singular.
func TestParsePinOneByte(t *testing.T) {
	if _, err := ParsePin("sha256/AA=="); err == nil || !strings.Contains(err.Error(), "holds 1 byte, a SHA-256 hash has 32") {
		t.Errorf("error %v", err)
	}
}
