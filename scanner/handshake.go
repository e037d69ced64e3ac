package scanner

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"time"

	ztls "github.com/zmap/zcrypto/tls"
)

// handshake runs the shared handshake: one connection that gathers what
// every certificate check reads.
//
// Go's crypto/tls carries it, because it is what current clients speak
// (TLS 1.3 with Go's default hybrid post-quantum key share, so a server or
// middlebox that chokes on a modern ClientHello shows up here) and because,
// like for like, it is the cheaper client: in BenchmarkHandshakeClients
// (loopback, client and server on the same 2 cores, medians of 6) a TLS 1.2
// X25519 handshake costs 247 µs with crypto/tls and 317 µs with zcrypto.
// The post-quantum key share makes the shared handshake 361 µs against
// 249 µs for TLS 1.3 with X25519 alone; that is the price of scanning as
// current clients connect. It offers TLS 1.0-1.3 with Go's default
// suites and skips verification, so a broken certificate still yields the
// whole chain; crypto/x509 then verifies it separately. When crypto/tls
// cannot complete the handshake at all (SSL 3.0, RC4- or DHE-only servers,
// certificates Go refuses to parse), a second connection with zcrypto,
// offering everything it can speak, still gets the chain.
func (s *Scanner) handshake(ctx context.Context, t *Target, addr string) (*Handshake, *ScanError) {
	h, modernErr := s.handshakeModern(ctx, t, addr)
	if modernErr == nil {
		return h, nil
	}
	if !legacyMightHelp(modernErr) || isClientCertFailure(modernErr) || ctx.Err() != nil {
		return nil, modernErr
	}
	h, legacyErr := s.handshakeLegacy(ctx, t, addr)
	if legacyErr != nil {
		// Report the modern client's view, which is what apps see, with
		// the legacy attempt as context.
		if legacyErr.Message() == modernErr.Message() {
			return nil, modernErr
		}
		return nil, &ScanError{Kind: modernErr.Kind, Err: fmt.Errorf("%v (and with legacy protocols and ciphers: %v)", modernErr.Err, legacyErr.Err)}
	}
	h.LegacyOnly = true
	h.ModernError = modernErr.Message()
	return h, nil
}

// legacyMightHelp reports whether a second handshake offering legacy
// versions and suites could succeed where crypto/tls failed: not when the
// peer is unreachable, silent or not speaking TLS at all.
func legacyMightHelp(e *ScanError) bool {
	switch e.Kind {
	case KindHandshake, KindClosed, KindReset, KindOther:
		return true
	}
	return false
}

func (s *Scanner) handshakeModern(ctx context.Context, t *Target, addr string) (*Handshake, *ScanError) {
	conn, connect, err := s.dial(ctx, t, addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	h := &Handshake{Client: "crypto/tls", ConnectTime: connect}
	cfg := modernConfig(t, h)
	tc := tls.Client(conn, cfg)
	start := time.Now()
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, clientCertError(ctx, h, classify(ctx, phaseHandshake, err))
	}
	h.HandshakeTime = time.Since(start)
	st := tc.ConnectionState()
	if err := awaitClientCertVerdict(tc, h, st.Version, t.connectTimeout()); err != nil {
		return nil, clientCertError(ctx, h, classify(ctx, phaseHandshake, err))
	}
	h.Version, h.CipherSuite, h.ALPN = st.Version, st.CipherSuite, st.NegotiatedProtocol
	h.OCSPStaple, h.SCTs = st.OCSPResponse, st.SignedCertificateTimestamps
	h.Chain = st.PeerCertificates
	for _, c := range st.PeerCertificates {
		h.RawChain = append(h.RawChain, c.Raw)
	}
	return h, nil
}

func (s *Scanner) handshakeLegacy(ctx context.Context, t *Target, addr string) (*Handshake, *ScanError) {
	conn, connect, err := s.dial(ctx, t, addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	h := &Handshake{Client: "zcrypto", ConnectTime: connect}
	cfg := legacyConfig(t, h)
	zc := ztls.Client(conn, cfg)
	start := time.Now()
	if err := zc.Handshake(); err != nil {
		return nil, clientCertError(ctx, h, classify(ctx, phaseHandshake, err))
	}
	h.HandshakeTime = time.Since(start)
	st := zc.ConnectionState()
	h.Version, h.CipherSuite, h.ALPN = st.Version, st.CipherSuite, st.NegotiatedProtocol
	h.OCSPStaple, h.SCTs = st.OCSPResponse, st.SignedCertificateTimestamps
	h.RawChain = legacyChain(zc)
	h.Chain, h.ParseErrors = parseChain(h.RawChain)
	return h, nil
}

// parseChain parses served DER with crypto/x509, which is stricter than
// zcrypto's parser. Certificates it refuses are recorded, not fatal, and a
// refused leaf leaves the chain empty.
func parseChain(raw [][]byte) ([]*x509.Certificate, map[int]string) {
	var chain []*x509.Certificate
	var errs map[int]string
	for i, der := range raw {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			if errs == nil {
				errs = map[int]string{}
			}
			errs[i] = err.Error()
			if i == 0 {
				break
			}
			continue
		}
		chain = append(chain, c)
	}
	if errs[0] != "" {
		chain = nil
	}
	return chain, errs
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
