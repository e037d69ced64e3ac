package targets

import (
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner"
)

func TestHTTPSettings(t *testing.T) {
	p := write(t, "t.yaml", `
defaults:
  http_headers: {x-api-key: k1, Host: gw.example}
  hsts_min_age: 15552000
targets:
  - host: http://a.example:8080/health?full=1
  - host: b.example
    protocol: TLS
  - host: https://c.example/v1
    http_port: 8081
    http_method: head
    http_path: /status
  - host: d.example
    http_headers: {Authorization: Bearer t}
`)
	f, err := Load(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	a, b, c, d := f.Targets[0], f.Targets[1], f.Targets[2], f.Targets[3]
	if a.Port != 443 || a.HTTPPort() != 8080 || a.HTTPPath() != "/health?full=1" || !a.SpeaksHTTP() ||
		a.HTTP.Headers["X-Api-Key"] != "k1" || a.HTTPHost() != "gw.example" || a.HSTSMinAge() != 180*24*time.Hour {
		t.Errorf("a = %+v", a)
	}
	if b.SpeaksHTTP() || b.Protocol() != scanner.ProtocolTLS || b.HTTPPort() != 80 || b.HTTPMethod() != "GET" || b.HTTPPath() != "/" {
		t.Errorf("b = %+v", b)
	}
	if c.HTTPPort() != 8081 || c.HTTPMethod() != "HEAD" || c.HTTPPath() != "/status" {
		t.Errorf("c = %+v", c)
	}
	// A target's own http_headers replace the defaults' (like every field
	// but skip_checks), so a secret meant for one gateway is not sent to
	// another by accident.
	if len(d.HTTP.Headers) != 1 || d.HTTP.Headers["Authorization"] != "Bearer t" || d.HTTPHost() != "d.example" {
		t.Errorf("d headers = %v", d.HTTP.Headers)
	}
	if got := d.HeaderNames(); len(got) != 1 || got[0] != "Authorization" {
		t.Errorf("header names %q", got)
	}
}

func TestHTTPDefaults(t *testing.T) {
	f, err := FromArgs([]string{"a.example", "http://b.example", "https://c.example:8443/x"}, opts())
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := f.Targets[0], f.Targets[1], f.Targets[2]
	if !a.SpeaksHTTP() || a.HTTPPort() != 80 || a.HSTSMinAge() != 365*24*time.Hour || a.HTTPMethod() != "GET" {
		t.Errorf("a = %+v", a)
	}
	if b.Port != 443 || b.HTTPPort() != 80 || b.Name != "b.example:443" {
		t.Errorf("b = %+v", b)
	}
	if c.Port != 8443 || c.HTTPPort() != 80 || c.HTTPPath() != "/x" {
		t.Errorf("c = %+v", c)
	}
}

func TestHTTPErrors(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"protocol", "targets:\n  - host: a.example\n    protocol: http\n", `t.yaml:3:15: protocol: must be https (HTTP over TLS: HTTP checks run), tls`},
		{"http_port", "defaults:\n  http_port: 0\ntargets:\n  - host: a.example\n", "t.yaml:2:14: http_port: must be from 1 to 65535, got 0"},
		{"http_path", "targets:\n  - host: a.example\n    http_path: health\n", `t.yaml:3:16: http_path: must start with /, got "health"`},
		{"http_path space", "targets:\n  - host: a.example\n    http_path: /a b\n", `t.yaml:3:16: http_path: "/a b": spaces`},
		{"http_method", "targets:\n  - host: a.example\n    http_method: POST\n", `t.yaml:3:18: http_method: must be GET or HEAD, got "POST"`},
		{"hsts_min_age", "targets:\n  - host: a.example\n    hsts_min_age: 0\n", "t.yaml:3:19: hsts_min_age: must be a positive number of seconds"},
		{"hsts_min_age duration", "targets:\n  - host: a.example\n    hsts_min_age: 1y\n", `t.yaml:3:19: hsts_min_age: expected a whole number, got "1y"`},
		{"header name", "targets:\n  - host: a.example\n    http_headers: {\"X Key\": v}\n", `t.yaml:3:19: http_headers: "X Key" is not a valid header name`},
		{"hop header", "targets:\n  - host: a.example\n    http_headers: {connection: keep-alive}\n", "http_headers: Connection is set by the probe itself"},
		{"headers not a map", "targets:\n  - host: a.example\n    http_headers: [a]\n", "t.yaml:3:19: http_headers:"},
		{"same header twice", "targets:\n  - host: a.example\n    http_headers: {x-a: 1, X-A: 2}\n", `http_headers: "X-A" and "x-a" name the same header`},
		{"http port conflict", "targets:\n  - host: http://a.example:8080\n    http_port: 8081\n", "t.yaml:3:16: http_port: 8081 contradicts the port 8080 in the http:// host"},
	}
	checkLoadErrors(t, cases)
}

// TestHeaderValuesNeverInErrors: header values may be API keys; an error
// about one names the header, never the value.
func TestHeaderValuesNeverInErrors(t *testing.T) {
	p := write(t, "t.yaml", "targets:\n  - host: a.example\n    http_headers:\n      X-Api-Key: \"s3cr3t\\nInjected: 1\"\n      Host: \"s3cr3t host\"\n")
	_, err := Load(p, opts())
	if err == nil || !strings.Contains(err.Error(), "X-Api-Key: the value holds a line break") || !strings.Contains(err.Error(), "Host: not a valid host") {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("error echoes a header value: %v", err)
	}
}
