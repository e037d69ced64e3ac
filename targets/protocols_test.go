package targets

import (
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// TestProtocolForms: a protocol comes from the URL's scheme, the
// protocol setting or the flag, or the well-known port; a protocol
// without a port is scanned on its own port.
func TestProtocolForms(t *testing.T) {
	smtp := "smtp"
	cases := []struct {
		arg   string
		flag  *string
		proto scanner.Protocol
		port  int
	}{
		{"smtp://mail.example.com:587", nil, "smtp", 587},
		{"smtp://mail.example.com", nil, "smtp", 25},
		{"submission://mail.example.com", nil, "smtp", 587},
		{"smtps://mail.example.com", nil, "smtps", 465},
		{"postgres://db.example.com", nil, "postgres", 5432},
		{"postgresql://db.example.com:6432/", nil, "postgres", 6432},
		{"postgres://db.example.com?sslnegotiation=direct", nil, "postgres-direct", 5432},
		{"postgresql://db.example.com:6432/?sslnegotiation=postgres", nil, "postgres", 6432},
		{"ldaps://dir.example.com", nil, "ldaps", 636},
		{"mqtts://broker.example.com", nil, "mqtt", 8883},
		{"mysql://db.example.com", nil, "mysql", 3306},
		{"db.example.com:5432", nil, "postgres", 5432},
		{"mail.example.com:587", nil, "smtp", 587},
		{"mail.example.com:993", nil, "imaps", 993},
		{"broker.example.com:8883", nil, "mqtt", 8883},
		{"www.example.com", nil, "https", 443},
		{"www.example.com:8443", nil, "https", 8443},
		{"https://www.example.com:25", nil, "https", 25},
		{"mail.example.com", &smtp, "smtp", 25},
		{"mail.example.com:2525", &smtp, "smtp", 2525},
	}
	for _, c := range cases {
		o := opts()
		o.Flags.Protocol = c.flag
		f, err := FromArgs([]string{c.arg}, o)
		if err != nil {
			t.Errorf("%s: %v", c.arg, err)
			continue
		}
		tg := f.Targets[0]
		if tg.Protocol() != c.proto || tg.Port != c.port {
			t.Errorf("%s: protocol %s port %d, want %s %d", c.arg, tg.Protocol(), tg.Port, c.proto, c.port)
		}
	}
}

func TestProtocolURLErrors(t *testing.T) {
	for arg, want := range map[string]string{
		"postgres://user:secret@db.example.com/app":     "credentials",
		"postgres://db.example.com/app":                 "leave out the path",
		"mqtt://broker.example.com":                     "plaintext MQTT",
		"smtp://mail.example.com?x=1":                   "leave out the path and query",
		"smtp://mail.example.com?sslnegotiation=direct": "leave out the path and query",
		"postgres://db.example.com?sslmode=require":     "leave out the path and query",
	} {
		_, err := FromArgs([]string{arg}, opts())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", arg, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error repeats the password: %v", arg, err)
		}
	}
	path := write(t, "t.yaml", "targets:\n  - host: smtp://mail.example.com\n    protocol: imap\n")
	if _, err := Load(path, opts()); err == nil || !strings.Contains(err.Error(), "t.yaml:3:15: protocol: imap contradicts the smtp:// URL") {
		t.Errorf("contradicting protocol: %v", err)
	}
}

// TestDiscoveredProtocolRoundTrip: a discovered host's protocol is
// written into the targets file and read back.
func TestDiscoveredProtocolRoundTrip(t *testing.T) {
	data, err := NewDiscoveredFile(nil, []Discovered{
		{Host: "mail.acme-shop.net", Port: 2525, Protocol: "smtp", Sources: []string{".env:2"}},
		{Host: "db.acme-shop.net", Port: 5432, Protocol: "postgres", Sources: []string{".env:1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := Load(write(t, "t.yaml", string(data)), opts())
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if p := f.Targets[0].Protocol(); p != "smtp" || f.Targets[0].Port != 2525 {
		t.Errorf("first target: %s port %d\n%s", p, f.Targets[0].Port, data)
	}
	if p := f.Targets[1].Protocol(); p != "postgres" {
		t.Errorf("second target: %s\n%s", p, data)
	}
}
