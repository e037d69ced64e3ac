package lab

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/tlsaudit/tlsaudit/internal/tls12"
)

// renegServer is a hand-built TLS 1.2 server (ECDHE-RSA-AES128-GCM-SHA256
// only, over x25519 or P-256) that accepts a renegotiation the client
// starts, as GnuTLS 3.7 (slapd) or OpenSSL with ClientRenegotiation do:
// an encrypted ClientHello after the handshake starts a full new
// handshake under the current keys, bound to the previous one by
// renegotiation_info (RFC 5746). crypto/tls and zcrypto servers refuse
// client renegotiation, so no library server can play it. It answers
// HTTP requests with the lab page, so HTTP probes and testssl's service
// detection see a web server.
type renegServer struct {
	name  string
	chain [][]byte
	key   *rsa.PrivateKey
}

func (s *renegServer) serve(c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	tc := tls12.New(c)
	typ, hello, err := tc.ReadHandshake()
	if err != nil || typ != 1 {
		return
	}
	var clientVerify, serverVerify []byte
	for {
		if clientVerify, serverVerify, err = s.handshake(tc, hello, clientVerify, serverVerify); err != nil {
			return
		}
		if hello = s.application(tc); hello == nil {
			return
		}
	}
}

// application answers HTTP requests until the client starts a
// renegotiation (its ClientHello body is returned) or leaves (nil).
func (s *renegServer) application(tc *tls12.Conn) []byte {
	var req []byte
	for {
		typ, payload, err := tc.ReadRecord()
		if err != nil {
			return nil
		}
		switch typ {
		case tls12.RecordHandshake:
			if len(payload) < 4 || payload[0] != 1 || len(payload) != 4+(int(payload[1])<<16|int(payload[2])<<8|int(payload[3])) {
				return nil
			}
			tc.Transcript = slices.Clone(payload)
			return payload[4:]
		case tls12.RecordAppData:
			if req = append(req, payload...); len(req) > 64<<10 {
				return nil
			}
			for {
				i := bytes.Index(req, []byte("\r\n\r\n"))
				if i < 0 {
					break
				}
				req = req[i+4:]
				body := "tlsaudit lab endpoint " + s.name + "\n"
				resp := fmt.Sprintf("HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=63072000; includeSubDomains\r\n"+
					"Content-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
				if tc.WriteRecord(tls12.RecordAppData, []byte(resp)) != nil {
					return nil
				}
			}
		}
	}
}

var errRenegRefused = errors.New("handshake refused")

// handshake runs one full handshake from the client's hello; prevClient
// and prevServer are the previous handshake's verify_data (nil at first).
func (s *renegServer) handshake(tc *tls12.Conn, helloBody, prevClient, prevServer []byte) ([]byte, []byte, error) {
	fail := func(desc byte) ([]byte, []byte, error) {
		_ = tc.WriteRecord(tls12.RecordAlert, []byte{2, desc})
		return nil, nil, errRenegRefused
	}
	ch, err := tls12.ParseHello(helloBody, true)
	if err != nil {
		return fail(50) // decode_error
	}
	if ch.Version < tls12.Version {
		return fail(70) // protocol_version
	}
	ri, offersRI := ch.Extensions[tls12.ExtRenegotiation]
	offersRI = offersRI || slices.Contains(ch.Suites, 0x00FF)
	if prevClient != nil && !bytes.Equal(ri, tls12.RenegotiationInfo(prevClient)) {
		return fail(40) // an unbound renegotiation (RFC 5746 §3.7)
	}
	if !slices.Contains(ch.Suites, tls12.SuiteECDHERSA) {
		return fail(40)
	}
	curve, ec := uint16(0), ecdh.Curve(nil)
	groups := cryptobyte.String(ch.Extensions[tls12.ExtSupportedGroups])
	var list cryptobyte.String
	if groups.ReadUint16LengthPrefixed(&list) {
		for !list.Empty() && ec == nil {
			var g uint16
			list.ReadUint16(&g)
			switch g {
			case 0x001d:
				curve, ec = g, ecdh.X25519()
			case 0x0017:
				curve, ec = g, ecdh.P256()
			}
		}
	}
	if ec == nil {
		return fail(40)
	}
	_, ems := ch.Extensions[tls12.ExtEMS]
	serverRandom := make([]byte, 32)
	_, _ = rand.Read(serverRandom)
	sh := &tls12.Hello{Version: tls12.Version, Random: serverRandom, Suites: []uint16{tls12.SuiteECDHERSA}}
	if offersRI {
		sh.SetExtension(tls12.ExtRenegotiation, tls12.RenegotiationInfo(prevClient, prevServer))
	}
	if ems {
		sh.SetExtension(tls12.ExtEMS, nil)
	}
	shBody, err := sh.Marshal(false)
	if err != nil {
		return nil, nil, err
	}
	priv, err := ec.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	pub := priv.PublicKey().Bytes()
	params := append([]byte{3, byte(curve >> 8), byte(curve), byte(len(pub))}, pub...)
	signed := sha256.Sum256(slices.Concat(ch.Random, serverRandom, params))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, signed[:])
	if err != nil {
		return nil, nil, err
	}
	var cert cryptobyte.Builder
	cert.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, der := range s.chain {
			b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(der) })
		}
	})
	ske := slices.Concat(params, []byte{4, 1, byte(len(sig) >> 8), byte(len(sig))}, sig) // rsa_pkcs1_sha256
	for _, m := range []struct {
		typ  byte
		body []byte
	}{{2, shBody}, {11, cert.BytesOrPanic()}, {12, ske}, {14, nil}} {
		if err := tc.WriteHandshake(m.typ, m.body); err != nil {
			return nil, nil, err
		}
	}
	typ, cke, err := tc.ReadHandshake()
	if err != nil {
		if errors.Is(err, tls12.ErrUnexpectedRecord) {
			return fail(10) // an early ChangeCipherSpec, as patched servers answer
		}
		return nil, nil, err
	}
	if typ != 16 || len(cke) < 1 || len(cke) != 1+int(cke[0]) {
		return fail(10)
	}
	peer, err := ec.NewPublicKey(cke[1:])
	if err != nil {
		return fail(47) // illegal_parameter
	}
	pms, err := priv.ECDH(peer)
	if err != nil {
		return fail(47)
	}
	master := tls12.MasterSecret(pms, ch.Random, serverRandom, tc.Transcript, ems)
	keys := tls12.KeyBlock(master, ch.Random, serverRandom)
	if err := tc.ReadCCS(); err != nil {
		return fail(10)
	}
	if err := tc.SetReadKey(keys.ClientKey, keys.ClientIV); err != nil {
		return nil, nil, err
	}
	wantClient := tls12.FinishedData(master, true, tc.Transcript)
	typ, fin, err := tc.ReadHandshake()
	if err != nil || typ != 20 || !bytes.Equal(fin, wantClient) {
		return fail(51) // decrypt_error
	}
	if err := tc.WriteRecord(tls12.RecordCCS, []byte{1}); err != nil {
		return nil, nil, err
	}
	if err := tc.SetWriteKey(keys.ServerKey, keys.ServerIV); err != nil {
		return nil, nil, err
	}
	serverFin := tls12.FinishedData(master, false, tc.Transcript)
	if err := tc.WriteHandshake(20, serverFin); err != nil {
		return nil, nil, err
	}
	tc.Transcript = nil
	return wantClient, serverFin, nil
}
