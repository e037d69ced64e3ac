package scanner

import (
	"github.com/tlsaudit/tlsaudit/scanner/netx"
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
	// http: the HTTP probes run on the TLS port.
	http bool
	// upgrade, when set, takes every fresh connection to the TLS port
	// through a plaintext exchange (a STARTTLS) before any probe speaks
	// TLS on it.
	upgrade netx.Upgrade
}

// protocols is every protocol there is, in the order help lists them. A
// new one (an SMTP STARTTLS, say) is one line here and its Upgrade in a
// file of its own: every probe of the TLS port then goes through it.
var protocols = []protocol{
	{name: ProtocolHTTPS, http: true},
	{name: ProtocolTLS},
}

// Protocols lists the protocols a target may declare.
var Protocols = func() []Protocol {
	names := make([]Protocol, len(protocols))
	for i, p := range protocols {
		names[i] = p.name
	}
	return names
}()

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

// dialer is d, upgraded as the protocol needs.
func (p protocol) dialer(d netx.Dialer) netx.Dialer {
	if p.upgrade == nil {
		return d
	}
	return netx.Upgrading(d, p.upgrade)
}
