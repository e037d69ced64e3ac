package discover

import (
	"strings"
	"testing"
)

func TestParseAuthority(t *testing.T) {
	cases := []struct {
		in   string
		host string
		port int
		ok   bool
	}{
		{"api.example.com/v1", "api.example.com", 0, true},
		{"user:pw@API.Example.com:8443/x", "api.example.com", 8443, true},
		{"[2001:db8::1]:8443/", "2001:db8::1", 8443, true},
		{"${host}/x", "", 0, false},
		{"$region.example.com", "", 0, false},
		{"\\(host)/x", "", 0, false},
		{"host:99999", "", 0, false},
		{"under_score.example.com", "", 0, false},
	}
	for _, c := range cases {
		h, p, ok := parseAuthority(c.in, false)
		if h != c.host || p != c.port || ok != c.ok {
			t.Errorf("parseAuthority(%q) = %q %d %v, want %q %d %v", c.in, h, p, ok, c.host, c.port, c.ok)
		}
	}
}

// TestSplitHostPortDecimal: a host:port value of a config file (API_HOST
// in .env, say) has its port in decimal digits, as everywhere in tlsaudit;
// "+8443" is not port 8443.
func TestSplitHostPortDecimal(t *testing.T) {
	for _, s := range []string{"api.example.com:+8443", "api.example.com:-1", "[2001:db8::1]:+8443", "api.example.com:0x1bb"} {
		if h, p, ok := splitHostPort(s, true); ok {
			t.Errorf("splitHostPort(%q) = %q %d, want no host", s, h, p)
		}
	}
	if h, p, ok := splitHostPort("api.example.com:8443", true); !ok || h != "api.example.com" || p != 8443 {
		t.Errorf("splitHostPort(api.example.com:8443) = %q %d %v", h, p, ok)
	}
}

func TestHostishName(t *testing.T) {
	for name, want := range map[string]bool{
		"apiHost": true, "API_BASE_URL": true, "kBackendDomain": true, "api.host": true, "APIHost": true,
		"DB_HOST": false, "smtpHost": false, "host": false, "baseColor": false, "apiKey": false,
	} {
		if got := hostishName(name); got != want {
			t.Errorf("hostishName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestDropMatching(t *testing.T) {
	f := newHostFilter()
	for host, dropped := range map[string]bool{
		"localhost": true, "api.localhost": true, "x.test": true, "example.com": true, "a.b.example.com": true,
		"10.1.2.3": true, "::1": true, "fd00::1": true, "192.0.2.7": true, "8.8.8.8": false,
		"github.com": true, "api.github.com": false, "schemas.android.com": true, "android.googleapis.com": false,
		"api.shop.com": false,
	} {
		if got := f.dropped(host) != ""; got != dropped {
			t.Errorf("dropped(%s) = %v, want %v", host, got, dropped)
		}
	}
	if err := f.keep.add("*.test", "keep"); err != nil {
		t.Fatal(err)
	}
	if f.dropped("x.test") != "" {
		t.Error("--keep does not win over a default drop")
	}
	if err := f.drop.add("old.test", "drop"); err != nil {
		t.Fatal(err)
	}
	if f.dropped("old.test") == "" || f.dropped("new.test") != "" {
		t.Error("the most specific pattern does not decide")
	}
}

func TestDocumentationLinks(t *testing.T) {
	cases := []struct {
		line        string
		prose, docs bool
	}{
		{`const u = "https://api.example.net/v1";`, false, false},
		{`throw Error("see https://api.example.net for help");`, true, false},
		{`<string name="offline">Check https://api.example.net</string>`, true, false},
		{`description: read https://api.example.net first`, true, false},
		{`API_URL=https://api.example.net`, false, false},
		{`css = "url(https://api.example.net/x)"`, false, false},
		{`const HELP_URL = "https://api.example.net/help"`, false, true},
		{`Citation:      "https://api.example.net/",`, false, true},
		{`let privacyPolicy: String = "https://api.example.net"`, false, true},
		{`<string name="privacy_url">https://api.example.net</string>`, false, true},
		{`"supportApiUrl": "https://api.example.net"`, false, false},
		{`"baseUrl": "https://api.example.net"`, false, false},
	}
	for _, c := range cases {
		offset := strings.Index(c.line, "://") + 3
		if got := inProse(c.line, offset); got != c.prose {
			t.Errorf("inProse(%s) = %v", c.line, got)
		}
		if got := underDocKey(c.line, offset); got != c.docs {
			t.Errorf("underDocKey(%s) = %v", c.line, got)
		}
	}
}

func TestSchemaPath(t *testing.T) {
	for url, want := range map[string]bool{
		"https://x.org/schema/bom-1.5.schema.json":       true,
		"http://www.w3.org/2001/XMLSchema.xsd":           true,
		"https://x.org/ns/app":                           true,
		"http://www.apple.com/DTDs/PropertyList-1.0.dtd": true,
		"https://api.x.org/v1/schemas":                   true,
		"https://api.x.org/v1/users?schema=1":            false,
		"https://api.x.org/v1/nsfw":                      false,
		"https://api.x.org":                              false,
	} {
		offset := strings.Index(url, "://") + 3
		if got := schemaPath.MatchString(urlRest(url, offset)); got != want {
			t.Errorf("%s: schema %v, want %v (path %q)", url, got, want, urlRest(url, offset))
		}
	}
}
