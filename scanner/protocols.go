package scanner

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
	"github.com/tlsaudit/tlsaudit/scanner/starttls"
)

// Protocol says what a target's TLS port carries.
type Protocol string

// Protocols a target may declare. The zero value means ProtocolHTTPS.
const (
	// ProtocolHTTPS is HTTP over TLS (a web server or an API): the HTTP
	// probes run.
	ProtocolHTTPS Protocol = "https"
	// ProtocolTLS is another protocol over TLS (a database, an MQTT
	// broker, SMTP submission): no HTTP request is ever sent to it.
	ProtocolTLS Protocol = "tls"
)

// protocol is what the scanner does differently for one Protocol.
type protocol struct {
	name Protocol
	// port is the protocol's usual port: a target naming the protocol
	// but no port is scanned there, and a target naming the port but no
	// protocol gets the protocol (portProtocols).
	port int
	// http: the HTTP probes run on the TLS port.
	http bool
	// upgrade, when set, takes every fresh connection to the TLS port
	// through a plaintext exchange (a STARTTLS) before any probe speaks
	// TLS on it.
	upgrade starttls.Client
	// alpn, when set, is offered in every ClientHello to the TLS port: a
	// server that starts TLS at once on a port shared with a plaintext
	// protocol tells the two apart by it (PostgreSQL 17 refuses a direct
	// TLS connection that does not offer "postgresql").
	alpn []string
	// doc is one line for help and docs: how TLS starts.
	doc string
}

// protocols is every protocol there is, in the order help lists them. A
// new one is one line here and, when it starts in the clear, its Client
// in scanner/starttls: every probe of the TLS port then goes through it.
var protocols = []protocol{
	{name: ProtocolHTTPS, port: 443, http: true, doc: "HTTP over TLS: the HTTP checks run"},
	{name: ProtocolTLS, port: 443, doc: "another protocol over TLS, no application bytes sent"},
	{name: "smtp", port: 25, upgrade: starttls.SMTP, doc: "SMTP: EHLO, then STARTTLS (also submission on 587)"},
	{name: "smtps", port: 465, doc: "SMTP over implicit TLS (submissions)"},
	{name: "imap", port: 143, upgrade: starttls.IMAP, doc: "IMAP: STARTTLS"},
	{name: "imaps", port: 993, doc: "IMAP over implicit TLS"},
	{name: "pop3", port: 110, upgrade: starttls.POP3, doc: "POP3: STLS"},
	{name: "pop3s", port: 995, doc: "POP3 over implicit TLS"},
	{name: "ftp", port: 21, upgrade: starttls.FTP, doc: "FTP: AUTH TLS"},
	{name: "ftps", port: 990, doc: "FTP over implicit TLS"},
	{name: "ldap", port: 389, upgrade: starttls.LDAP, doc: "LDAP: the StartTLS extended operation"},
	{name: "ldaps", port: 636, doc: "LDAP over implicit TLS"},
	{name: "postgres", port: 5432, upgrade: starttls.Postgres, doc: "PostgreSQL: SSLRequest"},
	{name: "postgres-direct", port: 5432, alpn: []string{"postgresql"}, doc: "PostgreSQL 17 direct TLS (libpq's sslnegotiation=direct): TLS at once with ALPN postgresql"},
	{name: "mysql", port: 3306, upgrade: starttls.MySQL, doc: "MySQL and MariaDB: the SSL request in the handshake"},
	{name: "xmpp", port: 5222, upgrade: starttls.XMPP, doc: "XMPP client stream to the server name: STARTTLS"},
	{name: "xmpps", port: 5223, doc: "XMPP over implicit TLS (XEP-0368)"},
	{name: "mqtt", port: 8883, doc: "MQTT over TLS (8883; plaintext MQTT on 1883 is not TLS at all)"},
}

// portProtocols are the protocols a port implies when a target names
// none: each protocol's own port, and submission (587) for SMTP. 443 and
// every port not listed stay https.
var portProtocols = func() map[int]Protocol {
	m := map[int]Protocol{587: "smtp"}
	for _, p := range protocols {
		// The first protocol on a port is the one the port implies
		// (postgres, not postgres-direct, which only a server asked to
		// accept it speaks).
		if _, taken := m[p.port]; !taken && p.port != 443 {
			m[p.port] = p.name
		}
	}
	return m
}()

// schemeProtocols are the URL schemes of the protocols other than https,
// with the usual aliases (RFC 8314's submissions, RFC 2384's pop, libpq's
// postgresql).
var schemeProtocols = map[string]Protocol{
	"smtp": "smtp", "submission": "smtp", "smtps": "smtps", "submissions": "smtps",
	"imap": "imap", "imaps": "imaps",
	"pop3": "pop3", "pop": "pop3", "pop3s": "pop3s", "pops": "pop3s",
	"ftp": "ftp", "ftps": "ftps",
	"ldap": "ldap", "ldaps": "ldaps",
	"postgres": "postgres", "postgresql": "postgres",
	"mysql": "mysql", "mariadb": "mysql",
	"xmpp": "xmpp", "xmpps": "xmpps",
	"mqtts": "mqtt", "ssl": "mqtt",
}

// SchemeProtocol is the protocol a URL scheme names, for schemes other
// than https and http.
func SchemeProtocol(scheme string) (Protocol, bool) {
	p, ok := schemeProtocols[strings.ToLower(scheme)]
	return p, ok
}

// ProtocolScheme is the URL scheme that names p (mqtts for mqtt, whose
// own scheme means plaintext).
func ProtocolScheme(p Protocol) string {
	if p == "mqtt" {
		return "mqtts"
	}
	return string(p)
}

// Protocols lists the protocols a target may declare.
var Protocols = func() []Protocol {
	names := make([]Protocol, len(protocols))
	for i, p := range protocols {
		names[i] = p.name
	}
	return names
}()

// ProtocolDoc is p's one-line description, empty for an unknown name.
func ProtocolDoc(p Protocol) string { return protocolOf(p).doc }

// ProtocolPort is the port p is scanned on when a target names no port.
func ProtocolPort(p Protocol) int {
	if pr := protocolOf(p); pr.port != 0 {
		return pr.port
	}
	return 443
}

// PortProtocol is the protocol a target on port gets when it names none,
// and whether the port implies one at all.
func PortProtocol(port int) (Protocol, bool) {
	p, ok := portProtocols[port]
	return p, ok
}

// protocolALPN is the ALPN protocols every ClientHello to a target of
// protocol p offers, nil for none.
func protocolALPN(p Protocol) []string { return protocolOf(p).alpn }

// Upgrades reports whether p starts in the clear and upgrades to TLS.
func Upgrades(p Protocol) bool { return protocolOf(p).upgrade != nil }

// protocolOf is the protocol named name; an unknown name (a target built
// by hand) is treated as plain TLS.
func protocolOf(name Protocol) protocol {
	for _, p := range protocols {
		if p.name == name {
			return p
		}
	}
	return protocol{name: name}
}

// portDialer is every connection to one result's TLS port: the scan's
// sockets, taken through the protocol's upgrade, counted, and the first
// upgrade's facts kept for the result.
type portDialer struct {
	d       netx.Dialer
	upgrade starttls.Client
	cfg     starttls.Config
	conns   atomic.Int64
	mu      sync.Mutex
	facts   *starttls.Facts
}

func (s *Scanner) portDialer(t *Target) *portDialer {
	var d netx.Dialer = s.sockets
	// Web servers take many connections at once (and one address often
	// serves many names); the daemons behind the other protocols spawn
	// per connection and are given the per-host limit.
	if !protocolOf(t.Protocol()).http {
		d = s.hosts.Limit(d)
	}
	return &portDialer{d: d, upgrade: protocolOf(t.Protocol()).upgrade, cfg: starttls.Config{ServerName: t.ServerName}}
}

func (p *portDialer) Dial(ctx context.Context, addr string, timeout time.Duration) (net.Conn, time.Duration, *netx.ScanError) {
	p.conns.Add(1)
	if p.upgrade == nil {
		return p.d.Dial(ctx, addr, timeout)
	}
	return netx.Upgrading(p.d, func(ctx context.Context, c net.Conn) error {
		f, err := p.upgrade(ctx, c, p.cfg)
		p.mu.Lock()
		if p.facts == nil && f != nil {
			p.facts = f
		}
		p.mu.Unlock()
		return err
	}).Dial(ctx, addr, timeout)
}

// Facts are what the first upgrade showed, nil for a protocol without
// one or when no connection got that far.
func (p *portDialer) Facts() *starttls.Facts {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.facts
}
