package scanner_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// scanOne scans the lab endpoint name with every check.
func scanOne(t testing.TB, l *lab.Lab, name string, adjust ...func(*scanner.Target)) *scanner.Result {
	t.Helper()
	s := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver()})
	for _, tg := range l.Targets() {
		if tg.Name == name {
			for _, f := range adjust {
				f(tg)
			}
			var r *scanner.Result
			s.ScanTarget(context.Background(), tg, func(res *scanner.Result) { r = res })
			return r
		}
	}
	t.Fatalf("no lab endpoint %s", name)
	return nil
}

// TestUpgradeErrorsNameTheStep: a failed or refused upgrade says which
// protocol and which step, with the server's words escaped.
func TestUpgradeErrorsNameTheStep(t *testing.T) {
	cases := map[string]struct {
		kind netx.ErrorKind
		msg  string
	}{
		"smtp-no-starttls":              {netx.KindUpgradeRefused, "smtp: STARTTLS: not offered (EHLO: "},
		"smtp-421":                      {netx.KindUpgradeFailed, "smtp: greeting: answered 421 4.3.2"},
		"smtp-endless-ehlo":             {netx.KindUpgradeFailed, "smtp: EHLO: a reply longer than 64 lines"},
		"smtp-endless-greeting":         {netx.KindUpgradeFailed, "smtp: greeting: "},
		"smtp-injection":                {netx.KindUpgradeFailed, `smtp: STARTTLS: 14 bytes after the go-ahead, before TLS (250-injected\r\n)`},
		"postgres-ssl-off":              {netx.KindUpgradeRefused, "postgres: SSLRequest: answered N"},
		"smtp-plaintext-after-go-ahead": {netx.KindProtocol, "after the smtp go-ahead to TLS: peer sent bytes that are not a TLS record"},
		"imap-no-starttls":              {netx.KindUpgradeRefused, "imap: STARTTLS: not offered"},
		"pop3-no-stls":                  {netx.KindUpgradeRefused, "pop3: STLS: not offered"},
		"ftp-no-auth-tls":               {netx.KindUpgradeRefused, "ftp: AUTH TLS: refused (FEAT does not list AUTH TLS): 530"},
		"mysql-no-ssl":                  {netx.KindUpgradeRefused, "mysql: greeting: the greeting lacks CLIENT_SSL"},
		"ldap-no-starttls":              {netx.KindUpgradeRefused, "ldap: StartTLS response: answered result 2"},
		"xmpp-no-starttls":              {netx.KindUpgradeRefused, "xmpp: stream features: not offered"},
	}
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	l := startLab(t, names...)
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := scanOne(t, l, name)
			if r.Err == nil || r.Err.Kind != want.kind || !strings.Contains(r.Err.Message(), want.msg) {
				t.Errorf("error %v, want kind %s and a message with %q", r.Err, want.kind, want.msg)
			}
			if strings.ContainsAny(r.Err.Message(), "\r\n") {
				t.Errorf("unescaped line end in %q", r.Err.Message())
			}
		})
	}
}

// TestUpgradeFacts: what the plaintext exchange showed reaches the
// result: a listed upgrade, logins offered before TLS, LOGINDISABLED.
func TestUpgradeFacts(t *testing.T) {
	l := startLab(t, "smtp", "smtp-auth-before-tls", "imap", "pop3-no-stls", "ftp", "ftp-feat-auth-tls", "xmpp")
	for name, want := range map[string]string{
		"smtp":                 "upgraded listed advertised auth=[]",
		"smtp-auth-before-tls": "upgraded listed advertised auth=[PLAIN]",
		"imap":                 "upgraded listed advertised auth=[] logindisabled",
		"pop3-no-stls":         "refused listed auth=[USER PLAIN]",
		"ftp":                  "upgraded listed auth=[]",
		"ftp-feat-auth-tls":    "upgraded listed advertised auth=[]",
		"xmpp":                 "upgraded listed advertised auth=[] required",
	} {
		r := scanOne(t, l, name)
		f := r.Upgrade
		if f == nil {
			t.Errorf("%s: no upgrade facts (error %v)", name, r.Err)
			continue
		}
		var got []string
		for _, b := range []struct {
			on   bool
			name string
		}{{f.Upgraded, "upgraded"}, {f.Refused, "refused"}, {f.Listed, "listed"}, {f.Advertised, "advertised"}} {
			if b.on {
				got = append(got, b.name)
			}
		}
		got = append(got, fmt.Sprintf("auth=%v", f.AuthBeforeTLS))
		if f.LoginDisabled {
			got = append(got, "logindisabled")
		}
		if f.StartTLSRequired {
			got = append(got, "required")
		}
		if s := strings.Join(got, " "); s != want {
			t.Errorf("%s: %s, want %s", name, s, want)
		}
	}
}

// TestConnectionsPerProtocol reports how many connections a full scan of
// one target costs through each upgrade (every enumeration probe pays the
// plaintext exchange), and checks that an upgrade costs no more
// connections than the same scan of an implicit-TLS port.
func TestConnectionsPerProtocol(t *testing.T) {
	names := []string{"tls12-only", "smtps", "smtp", "postgres", "imap", "pop3", "ftp", "mysql", "ldap", "xmpp", "smtp-tls10", "tls10-only"}
	l := startLab(t, names...)
	counts := map[string]int{}
	for _, n := range names {
		r := scanOne(t, l, n)
		if r.Err != nil {
			t.Fatalf("%s: %v", n, r.Err)
		}
		counts[n] = r.Connections
		t.Logf("%-12s %-8s %3d connections", n, r.Target.Protocol(), r.Connections)
	}
	// The upgrade adds no connection: the same server scanned through
	// STARTTLS costs what it costs over implicit TLS.
	for _, n := range []string{"smtp", "postgres", "imap", "pop3", "ftp", "mysql", "ldap", "xmpp"} {
		if counts[n] != counts["smtps"] {
			t.Errorf("%s: %d connections, smtps (the same TLS server without an upgrade) %d", n, counts[n], counts["smtps"])
		}
	}
	// tls10-only is https, yet costs no more: its HTTPS request goes over
	// the shared handshake's connection.
	if counts["smtp-tls10"] != counts["tls10-only"] {
		t.Errorf("smtp-tls10: %d connections, tls10-only (its HTTPS request on the shared connection) %d", counts["smtp-tls10"], counts["tls10-only"])
	}
	if !slices.ContainsFunc(names, func(n string) bool { return counts[n] > 0 }) {
		t.Error("no connections counted")
	}
}

// TestGreetingSeenOnUndeclaredPort: a server that speaks first after the
// handshake, on a port scanned as https only by default, is recorded as
// the protocol its greeting shows and gets no HTTP request.
func TestGreetingSeenOnUndeclaredPort(t *testing.T) {
	l := startLab(t, "smtps-undeclared", "good")
	r := scanOne(t, l, "smtps-undeclared")
	if r.ProtocolSeen != "smtp" || !strings.HasPrefix(r.Greeting, "220 ") || r.HTTP != nil {
		t.Errorf("protocol seen %q, greeting %q, HTTP %v; want smtp, a 220 greeting, no HTTP observation", r.ProtocolSeen, r.Greeting, r.HTTP)
	}
	g := scanOne(t, l, "good", func(tg *scanner.Target) { tg.HTTP.Protocol = "" })
	if g.ProtocolSeen != "" || g.HTTP == nil || !g.HTTP.HTTPS.Answered() {
		t.Errorf("an HTTPS server: protocol seen %q, HTTP %+v", g.ProtocolSeen, g.HTTP)
	}
}
