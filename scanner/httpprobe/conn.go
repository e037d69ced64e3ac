package httpprobe

import (
	"net"

	"github.com/tlsaudit/tlsaudit/scanner/handshake"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// open connects to addr for one HTTP request: plain TCP for "http", TLS
// for "https", the TLS side as the shared handshake reached the server
// (handshake.Open). peer (nil for "http") is what judgePeer needs to
// decide whether the connection may carry the target's configured
// headers.
func (p *prober) open(addr, scheme string) (net.Conn, *handshake.Peer, *netx.ScanError) {
	if scheme == "http" {
		c, _, se := p.plain.Dial(p.ctx, addr, p.cfg.TLS.Timeout)
		return c, nil, se
	}
	return handshake.Open(p.ctx, p.tlsPort, p.cfg.TLS, addr, p.legacy)
}
