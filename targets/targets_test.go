package targets

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
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/checks"
)

func opts() Options { return Options{Checks: checks.All()} }

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExampleFileLoads(t *testing.T) {
	f, err := Load("../targets.example.yaml", opts())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]int{}
	for i, tg := range f.Targets {
		byName[tg.Name] = i
	}
	if f.Concurrency != 64 || len(f.Targets) != 10 {
		t.Fatalf("concurrency %d, %d targets", f.Concurrency, len(f.Targets))
	}
	pay := f.Targets[byName["payments-api"]]
	if pay.Port != 8443 || pay.ExpiryWarnDays != 45 || pay.ServerName != "api.payments.example.com" || pay.Source.Line == 0 {
		t.Errorf("payments-api = %+v", pay)
	}
	auth := f.Targets[byName["auth"]]
	if auth.Host != "auth.example.com" || auth.Port != 8443 || auth.Path != "/health" {
		t.Errorf("auth = %+v", auth)
	}
	edge := f.Targets[byName["edge-1"]]
	if edge.Host != "192.0.2.10" || edge.ServerName != "www.example.com" || edge.SNI() != "www.example.com" {
		t.Errorf("edge-1 = %+v", edge)
	}
	v6 := f.Targets[byName["edge-v6"]]
	if v6.Host != "2001:db8::10" || v6.HostPort() != "[2001:db8::10]:443" || v6.SNI() != "" {
		t.Errorf("edge-v6 = %+v (SNI %q)", v6, v6.SNI())
	}
	if _, ok := byName["example.com:443"]; !ok {
		t.Errorf("unnamed target not named host:port: %v", byName)
	}
	mobile := f.Targets[byName["mobile-api"]]
	if len(mobile.Pins) != 2 || len(mobile.Zlint) != 2 || mobile.OnlineRevocation {
		t.Errorf("mobile-api = %+v", mobile)
	}
	shop := f.Targets[byName["api.shop.example.com:443"]]
	if len(shop.Sources) != 2 || shop.Sources[0].File != "../app/lib/config.dart" || shop.Sources[1].Line != 9 {
		t.Errorf("discovered target's sources = %+v", shop.Sources)
	}
	legacy := f.Targets[byName["legacy-api"]]
	if legacy.Port != 443 || legacy.HTTPPort() != 8080 || legacy.HTTPPath() != "/v1/ping" || legacy.HTTPMethod() != "HEAD" ||
		legacy.HTTP.Headers["X-Api-Key"] == "" || legacy.HSTSMinAge() != 180*24*time.Hour {
		t.Errorf("legacy-api = %+v", legacy)
	}
	if mqtt := f.Targets[byName["mqtt-broker"]]; mqtt.SpeaksHTTP() || mqtt.Port != 8883 {
		t.Errorf("mqtt-broker = %+v", mqtt)
	}
	if pay.HTTPPort() != 80 || pay.HSTSMinAge() != 365*24*time.Hour || !pay.SpeaksHTTP() {
		t.Errorf("payments-api HTTP defaults = %+v", pay.HTTP)
	}
	billing := f.Targets[byName["internal-billing"]]
	if billing.ConnectTimeout != 3*time.Second || billing.Checks.Allows("cert-expiring-soon") {
		t.Errorf("internal-billing = %+v", billing)
	}
}

func TestDefaultsFlagsAndTargetPrecedence(t *testing.T) {
	p := write(t, "t.yaml", `
defaults:
  timeout: 5s
  skip_checks: [cert-expired]
targets:
  - host: a.example
  - host: b.example
    timeout: 7s
    skip_checks: [hostname-mismatch]
`)
	flagTimeout := Duration(2 * time.Second)
	o := opts()
	o.Flags = Settings{Timeout: &flagTimeout, SkipChecks: []string{"chain-invalid"}}
	f, err := Load(p, o)
	if err != nil {
		t.Fatal(err)
	}
	a, b := f.Targets[0], f.Targets[1]
	if a.ConnectTimeout != 2*time.Second {
		t.Errorf("flag should override defaults: a timeout %v", a.ConnectTimeout)
	}
	if b.ConnectTimeout != 7*time.Second {
		t.Errorf("target should override flag: b timeout %v", b.ConnectTimeout)
	}
	for _, id := range []string{"cert-expired", "chain-invalid", "hostname-mismatch"} {
		if b.Checks.Allows(id) {
			t.Errorf("b runs %s; skip_checks should add up", id)
		}
	}
	if !a.Checks.Allows("hostname-mismatch") {
		t.Error("a skips hostname-mismatch, which only b skips")
	}
}

func TestProfile(t *testing.T) {
	p := write(t, "t.yaml", `
defaults:
  profile: old
targets:
  - host: a.example
  - host: b.example
    profile: Modern
`)
	f, err := Load(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	if a, b := f.Targets[0].Profile, f.Targets[1].Profile; a != "old" || b != "modern" {
		t.Errorf("profiles %q, %q; want old from defaults and modern (canonical) from the target", a, b)
	}
	f, err = FromArgs([]string{"c.example"}, opts())
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Targets[0].Profile; got != "intermediate" {
		t.Errorf("default profile %q, want intermediate", got)
	}
}

func TestCAFile(t *testing.T) {
	dir := t.TempDir()
	// A real certificate: any lab-independent DER works; make one.
	pem := selfSignedPEM(t)
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), pem, 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "t.yaml")
	os.WriteFile(p, []byte("targets:\n  - host: a.example\n    ca: ca.pem\n"), 0o644)
	f, err := Load(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	if f.Targets[0].Roots == nil || f.Targets[0].RootsName != "ca.pem" {
		t.Errorf("ca not loaded relative to the file: %+v", f.Targets[0])
	}
}

// TestErrors checks that each kind of bad input fails with the file, line,
// column and field, before any dialing.
func TestErrors(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown field", "targets:\n  - host: a.example\n    prot: 443\n", `t.yaml:3:5: prot: unknown field (did you mean "port"?)`},
		{"bad port", "targets:\n  - host: a.example\n    port: 70000\n", "t.yaml:3:11: port: must be from 1 to 65535, got 70000"},
		{"port not a number", "targets:\n  - host: a.example\n    port: https\n", `t.yaml:3:11: port: expected a whole number, got "https"`},
		{"missing host", "targets:\n  - name: x\n", "t.yaml:2:5: host: missing: every target needs a host"},
		{"bad host", "targets:\n  - host: 'exa mple.com'\n", `t.yaml:2:11: host: "exa mple.com" is not a valid host name`},
		{"http url of a tls service", "targets:\n  - host: http://a.example/\n    protocol: tls\n", "t.yaml:3:15: protocol: tls turns the HTTP probes off, but the host is an http:// URL"},
		{"unreadable ca", "targets:\n  - host: a.example\n    ca: nope.pem\n", "t.yaml:3:9: ca: cannot read CA file:"},
		{"duplicate name", "targets:\n  - host: a.example\n    name: x\n  - host: b.example\n    name: x\n", `t.yaml:5:11: name: duplicate name "x" (also used at line 3)`},
		{"duplicate default name", "targets:\n  - host: a.example\n  - host: a.example\n", `t.yaml:3:5: name: duplicate name "a.example:443" (also used at line 2)`},
		{"duplicate key", "targets:\n  - host: a.example\n    host: b.example\n", "t.yaml:3:5: host: given twice (first at line 2)"},
		{"bad duration", "defaults:\n  timeout: 10\ntargets:\n  - host: a.example\n", `t.yaml:2:12: timeout: expected a duration such as 10s or 1m30s, got "10"`},
		{"unknown check", "defaults:\n  skip_checks: [cert-expird]\ntargets:\n  - host: a.example\n", `t.yaml:2:16: skip_checks: "cert-expird" matches no check`},
		{"port conflict", "targets:\n  - host: a.example:8443\n    port: 443\n", "t.yaml:3:11: port: 443 contradicts the port 8443 in host"},
		{"no targets", "defaults:\n  timeout: 1s\n", "t.yaml:1:1: targets: missing"},
		{"empty list", "targets: []\n", "t.yaml:1:10: targets: the list is empty"},
		{"unknown top-level", "target:\n  - host: a\n", `t.yaml:1:1: target: unknown field (did you mean "targets"?)`},
		{"syntax", "a: b\nc: d: e\n", "t.yaml:2: invalid YAML: mapping values are not allowed"},
		{"bad concurrency", "defaults:\n  concurrency: 0\ntargets:\n  - host: a.example\n", "t.yaml:2:16: concurrency: must be from 1 to 10000, got 0"},
		{"null value", "targets:\n  - host:\n", "t.yaml:2:10: host: no value given"},
		{"bad servername", "targets:\n  - host: 192.0.2.1\n    servername: 'a b'\n", `t.yaml:3:17: servername: "a b" is not a valid host name`},
		{"deadline below timeout", "targets:\n  - host: a.example\n    timeout: 10s\n    deadline: 5s\n", "t.yaml:4:15: deadline: 5s is shorter than the timeout 10s"},
		{"unknown profile", "defaults:\n  profile: paranoid\ntargets:\n  - host: a.example\n", `t.yaml:2:12: profile: unknown profile "paranoid" (want modern, intermediate, old)`},
		{"unknown target profile", "targets:\n  - host: a.example\n    profile: moderne\n", `t.yaml:3:14: profile: unknown profile "moderne"`},
		{"tags not a list", "targets:\n  - host: a.example\n    tags: prod\n", `t.yaml:3:11: tags: expected a list such as [a, b], got "prod"`},
	}
	checkLoadErrors(t, cases)
}

func TestManyErrorsReportedTogether(t *testing.T) {
	p := write(t, "t.yaml", "targets:\n  - host: a.example\n    port: 0\n  - host: b.example\n    colour: red\n")
	_, err := Load(p, opts())
	if err == nil || !strings.Contains(err.Error(), ":3:11: port") || !strings.Contains(err.Error(), ":5:5: colour") {
		t.Fatalf("want both errors, got %v", err)
	}
}

func TestLines(t *testing.T) {
	in := "# fleet\nexample.com\napi.example.com:8443\n\n[2001:db8::1]:443\n192.0.2.7 www.example.com  # by IP\nhttps://auth.example.com/login\n"
	f, err := Load("-", Options{Checks: checks.All(), Stdin: strings.NewReader(in)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tg := range f.Targets {
		got = append(got, tg.Name+" line "+itoa(tg.Source.Line))
	}
	want := []string{"example.com:443 line 2", "api.example.com:8443 line 3", "[2001:db8::1]:443 line 5", "www.example.com@192.0.2.7:443 line 6", "auth.example.com:443 line 7"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
	_, err = Load("-", Options{Stdin: strings.NewReader("ok.example\nbad host name here\nx.example:0\n")})
	if err == nil || !strings.Contains(err.Error(), "<stdin>:2:1: expected host[:port]") || !strings.Contains(err.Error(), "<stdin>:3:1: port \"0\" must be") {
		t.Errorf("got %v", err)
	}
}

func TestFromArgs(t *testing.T) {
	f, err := FromArgs([]string{"example.com", "[::1]:8443", "https://x.example:444/p"}, opts())
	if err != nil {
		t.Fatal(err)
	}
	if f.Targets[1].Host != "::1" || f.Targets[1].Port != 8443 || f.Targets[2].Port != 444 || f.Targets[2].Path != "/p" {
		t.Errorf("got %+v %+v", f.Targets[1], f.Targets[2])
	}
	if _, err := FromArgs([]string{"gopher://x"}, opts()); err == nil || !strings.Contains(err.Error(), "argument 1: ") {
		t.Errorf("got %v", err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func selfSignedPEM(t *testing.T) []byte {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
