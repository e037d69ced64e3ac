package handshake

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// The TLS client side every connection to a target shares (the shared
// handshake and the HTTPS probe): one way to build each client's config and
// to read the served chain, so a server the handshake reached is reached
// the same way again.

// A Peer is what one TLS connection opened by Open learned about the
// server: enough to judge it as a client of the target would.
type Peer struct {
	// Chain is what the server sent, leaf first, as far as it parses.
	Chain []*x509.Certificate
	// Version is the negotiated protocol version.
	Version uint16
	// Legacy is true when zcrypto carried the connection: crypto/tls, the
	// client with current defaults, could not complete the handshake.
	Legacy bool
}

// Open connects to addr over TLS as the shared handshake did: the same
// client configs, fresh per connection, with crypto/tls, or zcrypto when
// legacy (only zcrypto could complete the shared handshake). It does not
// verify the certificate, so a host with a bad certificate still answers;
// peer says what a caller needs to judge the connection.
func Open(ctx context.Context, d netx.Dialer, cfg Config, addr string, legacy bool) (conn net.Conn, peer *Peer, se *netx.ScanError) {
	raw, _, se := d.Dial(ctx, addr, cfg.Timeout)
	if se != nil {
		return nil, nil, se
	}
	if legacy {
		return openLegacy(ctx, raw, cfg)
	}
	tc := tls.Client(raw, modernConfig(cfg, nil))
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, nil, netx.Classify(ctx, netx.PhaseHandshake, err)
	}
	cs := tc.ConnectionState()
	return tc, &Peer{Chain: cs.PeerCertificates, Version: cs.Version}, nil
}

// noteClientCert returns the client-certificate callback's bookkeeping:
// it records in h (when not nil) that the server asked for a certificate
// and whether the target's was sent, and says whether to send it.
func noteClientCert(cfg Config, h *Handshake) bool {
	if h != nil {
		h.ClientCertRequested = true
		h.ClientCertSent = cfg.ClientCert != nil
	}
	return cfg.ClientCert != nil
}

// modernConfig is the crypto/tls client config for cfg: its SNI, TLS 1.0 to
// 1.3 with Go's default suites, its client certificate when asked for, and
// no verification, so that a bad certificate still yields the whole chain
// and becomes a finding rather than an error (verifyChain judges it after).
// A fresh config per connection: nothing is shared between connections.
// What the server asks of client certificates is recorded in h, if not nil.
func modernConfig(cfg Config, h *Handshake) *tls.Config {
	return &tls.Config{
		ServerName:         cfg.ServerName,
		InsecureSkipVerify: true,
		MinVersion:         tls.VersionTLS10,
		NextProtos:         cfg.ALPN,
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			if noteClientCert(cfg, h) {
				return cfg.ClientCert, nil
			}
			return &tls.Certificate{}, nil
		},
	}
}

// VerifyPath runs crypto/x509's verification of served (leaf first, the
// rest offered as intermediates in any order) against roots (nil: the
// system roots) at the given time, for serverAuth, and for dnsName unless
// it is empty. It is the one place the scanner builds VerifyOptions for a
// served chain: verifyChain classifies its failures, the HTTP probe takes
// its verdict as a browser would.
func VerifyPath(served []*x509.Certificate, roots *x509.CertPool, dnsName string, at time.Time) ([][]*x509.Certificate, error) {
	inter := x509.NewCertPool()
	for _, c := range served[1:] {
		inter.AddCert(c)
	}
	return served[0].Verify(x509.VerifyOptions{
		DNSName:       dnsName,
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
}
