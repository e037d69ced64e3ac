package vuln

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/tlsaudit/tlsaudit/internal/tls12"
	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
)

// clientRenegotiation completes one TLS 1.2 handshake (ECDHE with
// AES-128-GCM, the suite family every TLS 1.2 server has; no certificate
// is verified and no application data is sent), then starts one
// renegotiation: a new ClientHello, encrypted, carrying the first
// handshake's verify_data in renegotiation_info. A server that answers
// with a ServerHello accepts client-initiated renegotiation; one that
// answers no_renegotiation (OpenSSL 3's default), another alert, or
// closes refuses it. Runs only where TLS 1.2 is accepted. One connection,
// one renegotiation.
func (p *prober) clientRenegotiation(ctx context.Context, in Input) Outcome {
	var suites []uint16
	for _, s := range in.Versions[tlsinfo.VersionTLS12] {
		if s == tls12.SuiteECDHERSA || s == tls12.SuiteECDHEECDSA {
			suites = append(suites, s)
		}
	}
	switch {
	case in.Versions[tlsinfo.VersionTLS12] == nil:
		return outcome(NotTested, "TLS 1.2 not accepted")
	case len(suites) == 0:
		return outcome(NotTested, "the server accepts no ECDHE AES-128-GCM suite, which the renegotiation probe speaks")
	}
	c, err := p.dial(ctx)
	if err != nil {
		return outcome(Undecided, err.Error())
	}
	defer c.Close()
	tc := tls12.New(c)
	verify, err := p.renegClientHandshake(tc, suites)
	if errors.Is(err, errClientCertRequired) {
		return outcome(NotTested, err.Error())
	}
	if err != nil {
		var alert *tls12.AlertError
		if errors.As(err, &alert) {
			return outcome(Undecided, "the TLS 1.2 handshake before renegotiating failed: "+alert.Error())
		}
		return outcome(Undecided, "the TLS 1.2 handshake before renegotiating failed: "+err.Error())
	}
	tc.Transcript = nil
	hello, err := p.renegClientHello(suites, verify)
	if err != nil {
		return outcome(Undecided, err.Error())
	}
	if err := tc.WriteHandshake(1, hello); err != nil {
		return outcome(NotVulnerable, "the server closed the connection at the renegotiation")
	}
	_ = c.SetReadDeadline(time.Now().Add(p.cfg.quietWait()))
	for range 4 {
		typ, payload, err := tc.ReadRecord()
		var alert *tls12.AlertError
		switch {
		case errors.As(err, &alert) && alert.Level == 1 && alert.Desc == 100:
			return outcome(NotVulnerable, "the server refused the renegotiation with a no_renegotiation warning")
		case errors.As(err, &alert):
			return outcome(NotVulnerable, "the server refused the renegotiation with "+alert.Error())
		case err != nil && timedOut(err):
			return outcome(NotVulnerable, "the server did not answer the renegotiation")
		case err != nil:
			return outcome(NotVulnerable, "the server closed the connection at the renegotiation")
		case typ == tls12.RecordHandshake && len(payload) > 0 && payload[0] == 2:
			return outcome(Vulnerable, "the server answered a client-initiated renegotiation with a ServerHello",
				"version", "TLS 1.2", "renegotiations", "1")
		case typ == tls12.RecordHandshake:
			return outcome(Undecided, "the server answered the renegotiation with handshake message "+strconv.Itoa(int(payload[0])))
		}
		// Application data the server sent on its own: read on.
	}
	return outcome(Undecided, "no answer to the renegotiation among the server's records")
}

// errClientCertRequired: the server refused the handshake without a
// client certificate, which the probe does not present (mutual TLS).
var errClientCertRequired = errors.New("the server requires a client certificate, which the renegotiation probe does not present")

// renegClientHello is the probe's ClientHello: TLS 1.2 only (no
// supported_versions, even if the server speaks TLS 1.3), the ECDHE GCM
// suites, x25519 and P-256, the extended master secret, and
// renegotiation_info with the previous verify_data (empty at first).
func (p *prober) renegClientHello(suites []uint16, verify []byte) ([]byte, error) {
	random := make([]byte, 32)
	_, _ = rand.Read(random)
	h := &tls12.Hello{Version: tls12.Version, Random: random, Suites: suites}
	if p.cfg.ServerName != "" {
		var b cryptobyte.Builder
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddUint8(0)
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(p.cfg.ServerName)) })
		})
		h.SetExtension(tls12.ExtServerName, b.BytesOrPanic())
	}
	h.SetExtension(tls12.ExtSupportedGroups, []byte{0, 4, 0, 0x1d, 0, 0x17})
	h.SetExtension(tls12.ExtPointFormats, []byte{1, 0})
	h.SetExtension(tls12.ExtSignatureAlgs, []byte{0, 16, 4, 1, 4, 3, 8, 4, 5, 1, 5, 3, 8, 5, 6, 1, 2, 1})
	h.SetExtension(tls12.ExtEMS, nil)
	h.SetExtension(tls12.ExtRenegotiation, tls12.RenegotiationInfo(verify))
	if ext := enum.ALPNExtension(p.cfg.ALPN); ext != nil {
		h.SetExtension(16, ext[4:]) // type and length come from SetExtension
	}
	return h.Marshal(true)
}

// renegClientHandshake runs the first handshake and returns the client's
// verify_data, which the renegotiation must carry.
func (p *prober) renegClientHandshake(tc *tls12.Conn, suites []uint16) (verify []byte, err error) {
	certRequested := false
	defer func() {
		var alert *tls12.AlertError
		if certRequested && errors.As(err, &alert) {
			err = errClientCertRequired
		}
	}()
	body, err := p.renegClientHello(suites, nil)
	if err != nil {
		return nil, err
	}
	clientRandom := slices.Clone(body[2:34])
	if err := tc.WriteHandshake(1, body); err != nil {
		return nil, err
	}
	typ, msg, err := tc.ReadHandshake()
	if err != nil {
		return nil, err
	}
	if typ != 2 {
		return nil, fmt.Errorf("handshake message %d instead of ServerHello", typ)
	}
	sh, err := tls12.ParseHello(msg, false)
	if err != nil {
		return nil, err
	}
	if sh.Version != tls12.Version || !slices.Contains(suites, sh.Suites[0]) {
		return nil, errors.New("the server chose another version or suite than offered")
	}
	_, ems := sh.Extensions[tls12.ExtEMS]
	var serverKey []byte
	var curve uint16
	for done := false; !done; {
		typ, msg, err := tc.ReadHandshake()
		if err != nil {
			return nil, err
		}
		switch typ {
		case 12: // ServerKeyExchange: named curve and point; the signature is not checked
			s := cryptobyte.String(msg)
			var curveType uint8
			if !s.ReadUint8(&curveType) || curveType != 3 || !s.ReadUint16(&curve) ||
				!s.ReadUint8LengthPrefixed((*cryptobyte.String)(&serverKey)) {
				return nil, errors.New("malformed ServerKeyExchange")
			}
		case 13:
			certRequested = true
		case 14:
			done = true
		}
	}
	var ec ecdh.Curve
	switch curve {
	case 0x001d:
		ec = ecdh.X25519()
	case 0x0017:
		ec = ecdh.P256()
	default:
		return nil, fmt.Errorf("the server chose curve %s", tlsinfo.GroupName(curve))
	}
	priv, err := ec.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	peer, err := ec.NewPublicKey(serverKey)
	if err != nil {
		return nil, err
	}
	pms, err := priv.ECDH(peer)
	if err != nil {
		return nil, err
	}
	if certRequested {
		if err := tc.WriteHandshake(11, []byte{0, 0, 0}); err != nil { // no client certificate
			return nil, err
		}
	}
	pub := priv.PublicKey().Bytes()
	if err := tc.WriteHandshake(16, append([]byte{byte(len(pub))}, pub...)); err != nil {
		return nil, err
	}
	master := tls12.MasterSecret(pms, clientRandom, sh.Random, tc.Transcript, ems)
	keys := tls12.KeyBlock(master, clientRandom, sh.Random)
	if err := tc.WriteRecord(tls12.RecordCCS, []byte{1}); err != nil {
		return nil, err
	}
	if err := tc.SetWriteKey(keys.ClientKey, keys.ClientIV); err != nil {
		return nil, err
	}
	verify = tls12.FinishedData(master, true, tc.Transcript)
	if err := tc.WriteHandshake(20, verify); err != nil {
		return nil, err
	}
	if err := tc.ReadCCS(); err != nil {
		return nil, err
	}
	if err := tc.SetReadKey(keys.ServerKey, keys.ServerIV); err != nil {
		return nil, err
	}
	want := tls12.FinishedData(master, false, tc.Transcript)
	typ, msg, err = tc.ReadHandshake()
	if err != nil {
		return nil, err
	}
	if typ != 20 || string(msg) != string(want) {
		return nil, errors.New("the server's Finished does not verify")
	}
	return verify, nil
}
