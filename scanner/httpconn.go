package scanner

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"time"

	ztls "github.com/zmap/zcrypto/tls"
)

// tlsPeer is what one HTTPS connection of the probes learned about the
// server: enough to judge it as a client of the target would.
type tlsPeer struct {
	// chain is what the server sent, leaf first, as far as it parses.
	chain []*x509.Certificate
	// version is the negotiated protocol version.
	version uint16
	// legacy is true when zcrypto carried the connection: crypto/tls, the
	// client with current defaults, could not complete the handshake.
	legacy bool
}

// openHTTP connects to addr for one HTTP request: plain TCP for "http",
// TLS for "https". The TLS side is the shared handshake's (tlsclient.go):
// the same client configs, fresh per connection, with crypto/tls, or
// zcrypto when only zcrypto could complete the shared handshake. It does
// not verify the certificate, so a host with a bad certificate still
// answers; peer (nil for "http") is what judgePeer needs to decide whether
// the connection may carry the target's configured headers.
func (s *Scanner) openHTTP(ctx context.Context, t *Target, addr, scheme string, legacy bool) (conn net.Conn, peer *tlsPeer, se *ScanError) {
	raw, _, se := s.dial(ctx, t, addr)
	if se != nil {
		return nil, nil, se
	}
	if scheme == "http" {
		return raw, nil, nil
	}
	if legacy {
		zc := ztls.Client(raw, legacyConfig(t, nil))
		if err := zc.Handshake(); err != nil {
			raw.Close()
			return nil, nil, classify(ctx, phaseHandshake, err)
		}
		chain, _ := parseChain(legacyChain(zc))
		return zc, &tlsPeer{chain: chain, version: zc.ConnectionState().Version, legacy: true}, nil
	}
	tc := tls.Client(raw, modernConfig(t, nil))
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, nil, classify(ctx, phaseHandshake, err)
	}
	cs := tc.ConnectionState()
	return tc, &tlsPeer{chain: cs.PeerCertificates, version: cs.Version}, nil
}

// verifyPeer verifies chain for t as a client of t would: against t's
// roots, for t's server name, now. It returns the verified chains (leaf to
// root). Browsers ignore HSTS received over a connection with certificate
// errors (RFC 6797 §8.1), so the verdict is part of the HSTS observation.
func verifyPeer(chain []*x509.Certificate, t *Target, now time.Time) ([][]*x509.Certificate, error) {
	if len(chain) == 0 {
		return nil, errors.New("the server sent no certificate that parses")
	}
	return verifyPath(chain, t.Roots, t.ServerName, now)
}
