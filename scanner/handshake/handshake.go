// Package handshake is the TLS client side of a scan: the shared
// handshake every certificate check reads (crypto/tls, with a zcrypto
// fallback for servers only legacy clients reach), client certificates,
// the trust verdict on the served chain (with a cache for fleets), and the
// leaf's revocation status (stapled and online OCSP). Other probes open
// their TLS connections through Open, so a server is reached the same way
// every time.
package handshake

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// Config is how to reach a target's TLS port.
type Config struct {
	// ServerName is sent as SNI; empty sends none (an IP address).
	ServerName string
	// ClientCert is presented when the server asks for a client
	// certificate (mutual TLS); nil presents none.
	ClientCert *tls.Certificate
	// Timeout bounds each connection's connect plus handshake.
	Timeout time.Duration
	// KeepOpen leaves the connection open when crypto/tls completed the
	// shared handshake (and no client certificate was asked for), so the
	// HTTPS probe's request can go over it rather than a handshake of its
	// own: see Handshake.TakeConn.
	KeepOpen bool
	// ALPN is offered in every ClientHello when set, for servers that
	// refuse a connection without their protocol's name in it.
	ALPN []string
}

// Handshake is what the shared handshake observed.
type Handshake struct {
	// Client names the TLS implementation that completed the handshake:
	// "crypto/tls", or "zcrypto" when the server only speaks what Go's
	// crypto/tls does not implement. LegacyOnly is true when crypto/tls
	// with its default settings could not complete it (crypto/tls then
	// completed it with the legacy suites it implements but does not offer
	// by default, or zcrypto did).
	Client     string
	LegacyOnly bool
	// ModernError is why the modern client failed, when LegacyOnly.
	ModernError string

	Version     uint16
	CipherSuite uint16
	ALPN        string
	// ClientCertRequested is true when the server asked for a client
	// certificate (mutual TLS); ClientCertSent when the target's
	// certificate was presented in answer.
	ClientCertRequested bool
	ClientCertSent      bool
	// OCSPStaple and SCTs are as the server sent them in the handshake.
	OCSPStaple []byte
	SCTs       [][]byte
	// StapledOCSP is what OCSPStaple says, parsed once and verified
	// against the leaf's issuer; nil when nothing was stapled.
	StapledOCSP *certinfo.OCSP

	// Chain holds the served certificates that crypto/x509 parsed, in the
	// order served; when the leaf itself did not parse, Chain is empty, so
	// certificate checks never mistake an intermediate for the leaf.
	// RawChain holds the DER of every certificate served; ParseErrors, by
	// index into RawChain, says why one did not parse.
	Chain       []*x509.Certificate
	RawChain    [][]byte
	ParseErrors map[int]string

	// Trust is the verdict of verifying Chain against the target's roots.
	Trust Trust
	// MoreTrust are the verdicts against the target's further trust
	// stores (--trust-store), in its order.
	MoreTrust []Trust

	// OnlineOCSP is the leaf's OCSP responder's answer, when the target
	// allows online revocation checks (see Revocation).
	OnlineOCSP *OnlineOCSP
	// CRLs is what each of the leaf's CRL distribution points says, when
	// the target allows online revocation checks.
	CRLs []*CRLCheck

	ConnectTime   time.Duration
	HandshakeTime time.Duration

	// kept is the connection Config.KeepOpen kept, until TakeConn.
	kept *tls.Conn
}

// TakeConn returns the connection the shared handshake kept open
// (Config.KeepOpen), with what Open would have learned of the server on
// it, and forgets it: the caller closes it. conn is nil when none was
// kept.
func (h *Handshake) TakeConn() (conn net.Conn, peer *Peer) {
	if h == nil || h.kept == nil {
		return nil, nil
	}
	conn, h.kept = h.kept, nil
	return conn, &Peer{Chain: h.Chain, Version: h.Version, Legacy: h.LegacyOnly}
}

// Leaf is the server's certificate, or nil if it did not parse.
func (h *Handshake) Leaf() *x509.Certificate {
	if len(h.Chain) == 0 {
		return nil
	}
	return h.Chain[0]
}

// Run runs the shared handshake at addr: one connection that gathers what
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
// whole chain; crypto/x509 then verifies it separately. When the server
// refuses that hello, a second crypto/tls connection offers the legacy
// suites crypto/tls implements but leaves out by default (static RSA key
// exchange, 3DES, RC4). When crypto/tls cannot complete the handshake at
// all (SSL 3.0 or DHE-only servers, certificates Go refuses to parse), a
// connection with zcrypto, offering everything it can speak, still gets
// the chain.
func Run(ctx context.Context, d netx.Dialer, cfg Config, addr string) (*Handshake, *netx.ScanError) {
	h, modernErr, refused := handshakeModern(ctx, d, cfg, addr)
	if modernErr == nil {
		return h, nil
	}
	if !legacyMightHelp(modernErr) || isClientCertFailure(modernErr) || ctx.Err() != nil {
		return nil, modernErr
	}
	// Most servers crypto/tls's defaults cannot reach (static RSA key
	// exchange, 3DES, RC4) speak a suite crypto/tls still implements when
	// a config lists it: a crypto/tls handshake offering those costs less
	// than zcrypto's, which stays for what crypto/tls cannot speak at all.
	// Only a server that refused the hello might take another offer; a
	// certificate crypto/x509 cannot parse needs zcrypto's parser.
	if refused {
		h, err, refusedAgain := handshakeModern(ctx, d, cfg, addr, legacySuitesGo...)
		if err == nil {
			h.LegacyOnly = true
			h.ModernError = modernErr.Message()
			return h, nil
		}
		if !refusedAgain || ctx.Err() != nil {
			// Not refused like the first attempt (a timeout, a reset):
			// not a server zcrypto would reach either.
			return nil, modernErr
		}
	}
	h, legacyErr := handshakeLegacy(ctx, d, cfg, addr)
	if legacyErr != nil {
		// Report the modern client's view, which is what apps see, with
		// the legacy attempt as context.
		if legacyErr.Message() == modernErr.Message() {
			return nil, modernErr
		}
		return nil, &netx.ScanError{Kind: modernErr.Kind, Err: fmt.Errorf("%v (and with legacy protocols and ciphers: %v)", modernErr.Err, legacyErr.Err)}
	}
	h.LegacyOnly = true
	h.ModernError = modernErr.Message()
	return h, nil
}

// legacyMightHelp reports whether a second handshake offering legacy
// versions and suites could succeed where crypto/tls failed: not when the
// peer is unreachable, silent or not speaking TLS at all.
func legacyMightHelp(e *netx.ScanError) bool {
	switch e.Kind {
	case netx.KindHandshake, netx.KindClosed, netx.KindReset, netx.KindOther:
		return true
	}
	return false
}

// handshakeModern is a crypto/tls handshake offering Go's default suites,
// or these suites when given. refused says whether the server turned the
// hello down (an alert, or a hang-up before its ServerHello), rather than
// the client failing or the network.
func handshakeModern(ctx context.Context, d netx.Dialer, cfg Config, addr string, suites ...uint16) (h *Handshake, se *netx.ScanError, refused bool) {
	conn, connect, se := d.Dial(ctx, addr, cfg.Timeout)
	if se != nil {
		return nil, se, false
	}
	h = &Handshake{Client: "crypto/tls", ConnectTime: connect}
	tcfg := modernConfig(cfg, h)
	if suites != nil {
		tcfg.CipherSuites = suites
	}
	tc := tls.Client(conn, tcfg)
	defer func() {
		if h == nil || h.kept == nil {
			conn.Close()
		}
	}()
	start := time.Now()
	if err := tc.HandshakeContext(ctx); err != nil {
		se := clientCertError(ctx, h, netx.Classify(ctx, netx.PhaseHandshake, err))
		return nil, se, refusedHello(err) && !isClientCertFailure(se)
	}
	h.HandshakeTime = time.Since(start)
	st := tc.ConnectionState()
	if err := awaitClientCertVerdict(tc, h, st.Version, cfg.Timeout); err != nil {
		return nil, clientCertError(ctx, h, netx.Classify(ctx, netx.PhaseHandshake, err)), false
	}
	h.Version, h.CipherSuite, h.ALPN = st.Version, st.CipherSuite, st.NegotiatedProtocol
	h.OCSPStaple, h.SCTs = st.OCSPResponse, st.SignedCertificateTimestamps
	h.Chain = st.PeerCertificates
	for _, c := range st.PeerCertificates {
		h.RawChain = append(h.RawChain, c.Raw)
	}
	// With a client certificate asked for, the connection may have been
	// read from (awaitClientCertVerdict); the HTTPS probe opens its own.
	if cfg.KeepOpen && !h.ClientCertRequested {
		h.kept = tc
	}
	return h, nil, false
}

// refusedHello reports whether err is the server turning a hello down: an
// alert it sent, or the connection ending before it answered.
func refusedHello(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" {
		return true
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
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

// legacySuitesGo is every TLS 1.0-1.2 suite crypto/tls implements,
// static-RSA key exchange, 3DES and RC4 included, which it offers only
// when a config lists them.
var legacySuitesGo = func() []uint16 {
	var ids []uint16
	for _, c := range tls.CipherSuites() {
		ids = append(ids, c.ID)
	}
	for _, c := range tls.InsecureCipherSuites() {
		ids = append(ids, c.ID)
	}
	return ids
}()
