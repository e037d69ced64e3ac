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

// openHTTP connects to addr for one HTTP request: plain TCP for "http",
// TLS for "https". The TLS side is the shared handshake's (tlsclient.go):
// the same client configs, fresh per connection, with crypto/tls, or
// zcrypto when only zcrypto could complete the shared handshake. It does
// not verify the certificate, so a host with a bad certificate still
// answers; chain is what the server sent, for verifyPeer.
func (s *Scanner) openHTTP(ctx context.Context, t *Target, addr, scheme string, legacy bool) (conn net.Conn, chain []*x509.Certificate, se *ScanError) {
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
		chain, _ = parseChain(legacyChain(zc))
		return zc, chain, nil
	}
	tc := tls.Client(raw, modernConfig(t, nil))
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, nil, classify(ctx, phaseHandshake, err)
	}
	return tc, tc.ConnectionState().PeerCertificates, nil
}

// verifyPeer verifies chain for t as a client of t would: against t's
// roots, for t's server name, now. Browsers ignore HSTS received over a
// connection with certificate errors (RFC 6797 §8.1), so the verdict is
// part of the HSTS observation.
func verifyPeer(chain []*x509.Certificate, t *Target, now time.Time) error {
	if len(chain) == 0 {
		return errors.New("the server sent no certificate that parses")
	}
	_, err := verifyPath(chain, t.Roots, t.ServerName, now)
	return err
}
