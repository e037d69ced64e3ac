package targets

import (
	"strings"
	"testing"
)

// TestIPv6Zones checks one rule for zones wherever a host is written:
// bare, bracketed, in a URL, as a server name (line list or YAML).
func TestIPv6Zones(t *testing.T) {
	for _, arg := range []string{"fe80::1%eth0", "[fe80::1%eth0]", "[fe80::1%eth0]:443", "https://[fe80::1%25eth0]:8443/"} {
		if _, err := FromArgs([]string{arg}, opts()); err == nil || !strings.Contains(err.Error(), "IPv6 zones are not supported") {
			t.Errorf("%s: error %v, want zones refused", arg, err)
		}
	}
	o := opts()
	o.Stdin = strings.NewReader("192.0.2.1 fe80::1%eth0\n")
	if _, err := Load("-", o); err == nil || !strings.Contains(err.Error(), "IPv6 zones are not supported") {
		t.Errorf("line list server name: %v", err)
	}
	p := write(t, "t.yaml", "targets:\n  - host: 192.0.2.1\n    servername: 'fe80::1%eth0'\n")
	if _, err := Load(p, opts()); err == nil || !strings.Contains(err.Error(), ":3:17: servername: ") || !strings.Contains(err.Error(), "zones") {
		t.Errorf("YAML server name: %v", err)
	}
}

// TestEmptyPort checks that a colon with no port after it is an error, not
// port 443.
func TestEmptyPort(t *testing.T) {
	for _, arg := range []string{"example.com:", "[::1]:", "https://example.com:/"} {
		_, err := FromArgs([]string{arg}, opts())
		if arg == "https://example.com:/" {
			// url.Parse accepts an empty port in a URL, as browsers do: 443.
			if err != nil {
				t.Errorf("%s: %v", arg, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "empty port") {
			t.Errorf("%s: error %v, want empty port", arg, err)
		}
	}
}

// TestOneIdentityPerName checks that a trailing dot and case do not make
// another target, on every path a name can come in by.
func TestOneIdentityPerName(t *testing.T) {
	o := opts()
	o.Stdin = strings.NewReader("localhost.\nLOCALHOST\n")
	if _, err := Load("-", o); err == nil || !strings.Contains(err.Error(), `duplicate name "localhost:443"`) {
		t.Errorf("line list: %v", err)
	}
	o.Stdin = strings.NewReader("192.0.2.1 Example.COM.\n192.0.2.1 example.com\n")
	if _, err := Load("-", o); err == nil || !strings.Contains(err.Error(), `duplicate name "example.com@192.0.2.1:443"`) {
		t.Errorf("line list server names: %v", err)
	}
	p := write(t, "t.yaml", "targets:\n  - host: localhost.\n    servername: WWW.example.com.\n  - host: localhost\n    servername: www.example.com\n")
	if _, err := Load(p, opts()); err == nil || !strings.Contains(err.Error(), `duplicate name "www.example.com@localhost:443"`) {
		t.Errorf("YAML: %v", err)
	}
	for in, want := range map[string]string{"localhost.": "localhost", " API.Example.com. ": "api.example.com", "2001:DB8::1": "2001:db8::1"} {
		if got, err := CanonicalHost(in); err != nil || got != want {
			t.Errorf("CanonicalHost(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
