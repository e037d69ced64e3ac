package httpprobe

import (
	"net"
	"strconv"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner/handshake"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// open connects to addr for one HTTP request: plain TCP for "http", TLS
// for "https", the TLS side as the shared handshake reached the server
// (handshake.Open). peer (nil for "http") is what judgePeer needs to
// decide whether the connection may carry the target's configured
// headers. The first HTTPS request to the TLS port takes the shared
// handshake's connection when the prober was given it (Reuse).
func (p *prober) open(addr, scheme string) (net.Conn, *handshake.Peer, *netx.ScanError) {
	if scheme == "http" {
		c, _, se := p.plain.Dial(p.ctx, addr, p.cfg.TLS.Timeout)
		return c, nil, se
	}
	if c := p.kept; c != nil && addr == net.JoinHostPort(p.ip, strconv.Itoa(p.cfg.Port)) {
		// The shared handshake's deadline covered its connect and
		// handshake; the request gets a timeout of its own, as on a new
		// connection.
		p.kept = nil
		_ = c.SetDeadline(time.Now().Add(p.cfg.TLS.Timeout))
		return c, p.keptPeer, nil
	}
	return handshake.Open(p.ctx, p.tlsPort, p.cfg.TLS, addr, p.legacy)
}
