//go:build !nozcrypto && !windows && !(darwin && arm64 && !cgo)

package handshake

// The legacy client: zcrypto, which still speaks SSL 3.0, RC4, DHE and
// certificates Go refuses to parse. zcrypto's tls package does not build
// with CGO_ENABLED=0 for windows (its system-roots code) nor for
// darwin/arm64 (no system-roots loader without cgo); legacy_unavailable.go
// stands in there. The nozcrypto tag builds that stand-in anywhere, so CI
// can run it.

import (
	"context"
	"net"
	"time"

	ztls "github.com/zmap/zcrypto/tls"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// LegacyClient says whether this build has the legacy client.
const LegacyClient = true

// handshakeLegacy is the shared handshake with zcrypto, for servers
// crypto/tls could not complete one with.
func handshakeLegacy(ctx context.Context, d netx.Dialer, cfg Config, addr string) (*Handshake, *netx.ScanError) {
	conn, connect, err := d.Dial(ctx, addr, cfg.Timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	h := &Handshake{Client: "zcrypto", ConnectTime: connect}
	zc := ztls.Client(conn, legacyConfig(cfg, h))
	start := time.Now()
	if err := zc.Handshake(); err != nil {
		return nil, clientCertError(ctx, h, netx.Classify(ctx, netx.PhaseHandshake, err))
	}
	h.HandshakeTime = time.Since(start)
	st := zc.ConnectionState()
	h.Version, h.CipherSuite, h.ALPN = st.Version, st.CipherSuite, st.NegotiatedProtocol
	h.OCSPStaple, h.SCTs = st.OCSPResponse, st.SignedCertificateTimestamps
	h.RawChain = legacyChain(zc)
	h.Chain, h.ParseErrors = parseChain(h.RawChain)
	return h, nil
}

// openLegacy is Open's zcrypto side, on raw, which it closes on failure.
func openLegacy(ctx context.Context, raw net.Conn, cfg Config) (net.Conn, *Peer, *netx.ScanError) {
	zc := ztls.Client(raw, legacyConfig(cfg, nil))
	if err := zc.Handshake(); err != nil {
		raw.Close()
		return nil, nil, netx.Classify(ctx, netx.PhaseHandshake, err)
	}
	chain, _ := parseChain(legacyChain(zc))
	return zc, &Peer{Chain: chain, Version: zc.ConnectionState().Version, Legacy: true}, nil
}

// legacyConfig is the zcrypto client config for servers crypto/tls cannot
// complete a handshake with: SSL 3.0 to TLS 1.2 and every suite zcrypto
// implements, otherwise as modernConfig.
func legacyConfig(cfg Config, h *Handshake) *ztls.Config {
	return &ztls.Config{
		ServerName:         cfg.ServerName,
		InsecureSkipVerify: true,
		MinVersion:         ztls.VersionSSL30,
		MaxVersion:         ztls.VersionTLS12,
		NextProtos:         cfg.ALPN,
		CipherSuites:       legacySuites,
		// Without ForceSuites zcrypto silently drops suites missing from
		// its default list, DHE among them.
		ForceSuites: true,
		GetClientCertificate: func(*ztls.CertificateRequestInfo) (*ztls.Certificate, error) {
			if noteClientCert(cfg, h) {
				return &ztls.Certificate{Certificate: cfg.ClientCert.Certificate, PrivateKey: cfg.ClientCert.PrivateKey}, nil
			}
			return &ztls.Certificate{}, nil
		},
	}
}

// legacyChain is the DER of every certificate a zcrypto handshake was
// served, leaf first. zcrypto parses leniently; parseChain then applies
// crypto/x509's stricter parser.
func legacyChain(zc *ztls.Conn) [][]byte {
	log := zc.GetHandshakeLog()
	if log == nil || log.ServerCertificates == nil {
		return nil
	}
	der := [][]byte{log.ServerCertificates.Certificate.Raw}
	for _, c := range log.ServerCertificates.Chain {
		der = append(der, c.Raw)
	}
	return der
}

// legacySuites is every suite zcrypto can complete a handshake with, so the
// fallback reaches servers that accept nothing else.
var legacySuites = func() []uint16 {
	var ids []uint16
	for _, c := range ztls.CipherSuites() {
		ids = append(ids, c.ID)
	}
	for _, c := range ztls.InsecureCipherSuites() {
		ids = append(ids, c.ID)
	}
	// DHE suites are implemented but not listed by CipherSuites().
	ids = append(ids,
		ztls.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, ztls.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
		ztls.TLS_DHE_RSA_WITH_AES_128_CBC_SHA, ztls.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
		ztls.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256, ztls.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
		ztls.TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA, ztls.TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA,
	)
	return ids
}()
