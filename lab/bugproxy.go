package lab

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
)

// A bug is one implementation flaw the bug proxy grafts onto a correct
// server.
type bug int

const (
	// bugHeartbleed negotiates heartbeats with clients that offer them and
	// answers any HeartbeatRequest with as many bytes as it claims, like
	// OpenSSL 1.0.1-1.0.1f; the bytes it did not get are lab filler, never
	// process memory.
	bugHeartbleed bug = iota + 1
	// bugCCS swallows a ChangeCipherSpec sent before the client's key
	// exchange, like OpenSSL before 1.0.1h, and fails the next record with
	// bad_record_mac, as such a server does when it decrypts with keys from
	// an empty master secret.
	bugCCS
	// bugROBOT decrypts an RSA ClientKeyExchange itself and lets the
	// padding error decide the answer: bad padding gets handshake_failure,
	// a well-padded secret of the wrong length a silent close, a good one
	// goes on to the real server: a strong Bleichenbacher oracle.
	bugROBOT
	// bugSSL2 answers an SSLv2 CLIENT-HELLO with a SERVER-HELLO, like an
	// OpenSSL 1.0.2 with SSLv2 enabled.
	bugSSL2
	// bugCompression chooses DEFLATE for clients that offer it, like an
	// OpenSSL 1.0 built with zlib.
	bugCompression
	// bugNoFallbackSCSV ignores TLS_FALLBACK_SCSV, like servers before
	// 2014: the SCSV is taken out of the hello before the real server
	// (which enforces it) sees it.
	bugNoFallbackSCSV
	// bugWeakCurve accepts ECDHE over secp192r1 for clients that offer it
	// and none of the curves Go implements, answering as helloOnlyServer
	// does.
	bugWeakCurve
)

// A bugProxy stands in front of an in-process crypto/tls server and
// grafts one bug onto it. Ordinary clients (tlsaudit's shared handshake,
// openssl s_client, testssl's preflight) reach the real server untouched
// and complete their handshakes, because the bug is triggered only by
// what the client sends, exactly as in the servers it imitates: a hello
// offering heartbeats or compression or the SCSV, an early
// ChangeCipherSpec, a malformed RSA premaster secret, an SSLv2 hello. A
// rewritten ServerHello breaks the handshake transcript, so it is only
// done on connections of probes, which stop before Finished.
type bugProxy struct {
	name    string
	bug     bug
	backend *tls.Config
	// key is the RSA key of the served certificate: bugROBOT decrypts
	// with it.
	key *rsa.PrivateKey
	// leaf is the served certificate's DER: an SSLv2 SERVER-HELLO and a
	// weak-curve answer carry it.
	leaf []byte
}

func (b *bugProxy) start(env *Env, ln net.Listener) {
	back := &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	env.OnClose(func() { back.Close() })
	env.ServeHTTPS(back, b.backend, Hello(b.name))
	env.Accept(ln, func(c net.Conn) { b.serve(c, back) })
}

// filler stands for the memory a vulnerable server would leak: fixed
// text, so tests can prove the report never carries the bytes.
const labFiller = "tlsaudit-lab-heartbleed-filler "

func (b *bugProxy) serve(c net.Conn, back *pipeListener) {
	// Generous: testssl runs openssl commands between a connection's
	// messages (ROBOT encrypts each premaster secret with `openssl
	// pkeyutl`), which on a loaded machine takes tens of seconds.
	_ = c.SetDeadline(time.Now().Add(3 * time.Minute))
	br := bufio.NewReader(c)
	first, err := br.Peek(3)
	if err != nil {
		return
	}
	if first[0]&0x80 != 0 && first[2] == 1 { // an SSLv2 CLIENT-HELLO
		if b.bug == bugSSL2 {
			b.answerSSL2(c, br)
			return
		}
		_, _ = c.Write(alertRecord(tlsinfo.VersionTLS10, 70)) // protocol_version, as Go answers
		return
	}
	hello, err := readHelloRecords(br)
	if err != nil {
		return
	}
	if b.bug == bugWeakCurve && hello.offersOnlyWeakCurve() {
		h := helloOnlyServer{curve: 0x0013, chain: [][]byte{b.leaf}}
		if flight, err := h.flight(min(hello.version, tlsinfo.VersionTLS12), 0xC02F); err == nil && slices.Contains(hello.suites, 0xC02F) {
			_, _ = c.Write(flight)
			drain(c)
		}
		return
	}
	s := &bugConn{proxy: b, client: c}
	s.heartbeat = b.bug == bugHeartbleed && hello.hasExtension(15)
	s.compress = b.bug == bugCompression && slices.Contains(hello.compression, 1)
	raw := hello.raw
	if b.bug == bugNoFallbackSCSV && slices.Contains(hello.suites, 0x5600) {
		s.fallback = true
		if raw, err = hello.withoutSuite(0x5600); err != nil {
			return
		}
	}
	server, err := back.dial()
	if err != nil {
		return
	}
	s.server = server
	defer server.Close()
	if _, err := server.Write(raw); err != nil {
		return
	}
	go func() {
		s.fromServer()
		c.Close()
	}()
	s.fromClient(br)
}

// bugConn is one proxied connection.
type bugConn struct {
	proxy          *bugProxy
	client, server net.Conn
	writeMu        sync.Mutex // client writes from both directions

	heartbeat, compress, fallback bool

	mu        sync.Mutex
	rsaKex    bool // the ServerHello chose RSA key transport
	clientKex bool // the client sent a handshake message after its hello
	ccsEarly  bool // an early ChangeCipherSpec was swallowed
}

func (s *bugConn) toClient(p []byte) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err := s.client.Write(p)
	return err
}

// fromServer relays the real server's records, rewriting its ServerHello
// on probe connections.
func (s *bugConn) fromServer() {
	r := bufio.NewReader(s.server)
	var hs []byte
	for {
		hdr, payload, err := readLabRecord(r)
		if err != nil {
			return
		}
		if hs == nil && hdr[0] == 22 {
			// Until the ServerHello is complete, collect handshake bytes.
			hs = append([]byte{}, payload...)
			for len(hs) < 4 || len(hs) < 4+(int(hs[1])<<16|int(hs[2])<<8|int(hs[3])) {
				if _, more, err := readLabRecord(r); err != nil {
					return
				} else {
					hs = append(hs, more...)
				}
			}
			out, err := s.rewriteServerHello(hs, uint16(hdr[1])<<8|uint16(hdr[2]))
			if err != nil || s.toClient(out) != nil {
				return
			}
			continue
		}
		if s.toClient(append(hdr, payload...)) != nil {
			return
		}
	}
}

func (s *bugConn) rewriteServerHello(hs []byte, recVersion uint16) ([]byte, error) {
	n := 4 + (int(hs[1])<<16 | int(hs[2])<<8 | int(hs[3]))
	body, rest := hs[4:n], hs[n:]
	in := cryptobyte.String(body)
	var version, suite uint16
	var random, sid []byte
	var comp uint8
	var exts cryptobyte.String
	if hs[0] != 2 || !in.ReadUint16(&version) || !in.ReadBytes(&random, 32) ||
		!in.ReadUint8LengthPrefixed((*cryptobyte.String)(&sid)) || !in.ReadUint16(&suite) || !in.ReadUint8(&comp) {
		return nil, errors.New("bug proxy: not a ServerHello")
	}
	if !in.Empty() && !in.ReadUint16LengthPrefixed(&exts) {
		return nil, errors.New("bug proxy: bad ServerHello extensions")
	}
	s.mu.Lock()
	s.rsaKex = tlsinfo.Suite(suite).Kex == "RSA"
	s.mu.Unlock()
	if !s.heartbeat && !s.compress && !s.fallback {
		return frame(22, recVersion, hs), nil
	}
	random = slices.Clone(random)
	if s.fallback && string(random[24:31]) == "DOWNGRD" {
		// RFC 8446's downgrade sentinel would make OpenSSL's client abort
		// on its own; a pre-2014 server never set it.
		_, _ = rand.Read(random[24:])
	}
	if s.compress {
		comp = 1
	}
	var b cryptobyte.Builder
	b.AddUint8(2)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16(version)
		b.AddBytes(random)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sid) })
		b.AddUint16(suite)
		b.AddUint8(comp)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(exts)
			if s.heartbeat {
				b.AddBytes([]byte{0, 15, 0, 1, 1}) // heartbeat, peer_allowed_to_send
			}
		})
	})
	msg, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	return frame(22, recVersion, append(msg, rest...)), nil
}

// fromClient relays the client's records, playing the bug on the way.
func (s *bugConn) fromClient(r *bufio.Reader) {
	for {
		hdr, payload, err := readLabRecord(r)
		if err != nil {
			return
		}
		version := uint16(hdr[1])<<8 | uint16(hdr[2])
		s.mu.Lock()
		rsaKex, clientKex, ccsEarly := s.rsaKex, s.clientKex, s.ccsEarly
		s.mu.Unlock()
		switch {
		case hdr[0] == 24 && s.proxy.bug == bugHeartbleed:
			// OpenSSL 1.0.1 processed heartbeat records whether or not the
			// extension was negotiated on the connection (testssl's request
			// comes on a hello without it).
			if s.answerHeartbeat(version, payload) != nil {
				return
			}
			continue
		case s.proxy.bug == bugCCS && ccsEarly:
			_ = s.toClient(alertRecord(version, 20)) // bad_record_mac
			return
		case s.proxy.bug == bugCCS && hdr[0] == 20 && !clientKex:
			s.mu.Lock()
			s.ccsEarly = true
			s.mu.Unlock()
			continue
		case hdr[0] == 22:
			s.mu.Lock()
			s.clientKex = true
			s.mu.Unlock()
			if s.proxy.bug == bugROBOT && rsaKex && !clientKex && len(payload) > 6 && payload[0] == 16 {
				if !s.robotOracle(version, payload) {
					return
				}
			}
		}
		if _, err := s.server.Write(append(hdr, payload...)); err != nil {
			return
		}
	}
}

// robotOracle decrypts the ClientKeyExchange and answers by the padding
// error, as a non-constant-time implementation does. It reports whether
// the record may go on to the real server.
func (s *bugConn) robotOracle(version uint16, msg []byte) bool {
	body := cryptobyte.String(msg[4:])
	var ct []byte
	if !body.ReadUint16LengthPrefixed((*cryptobyte.String)(&ct)) {
		return true
	}
	pt, err := rsa.DecryptPKCS1v15(nil, s.proxy.key, ct)
	switch {
	case err != nil:
		_ = s.toClient(alertRecord(version, 40)) // handshake_failure
		return false
	case len(pt) != 48:
		return false // hang up without an alert
	}
	return true
}

// answerHeartbeat answers a HeartbeatRequest with the payload length it
// claims: what the client sent, then filler for what it did not.
func (s *bugConn) answerHeartbeat(version uint16, req []byte) error {
	if len(req) < 3 || req[0] != 1 {
		return nil
	}
	claimed := int(req[1])<<8 | int(req[2])
	sent := req[3:]
	resp := []byte{2, byte(claimed >> 8), byte(claimed)}
	for i := range claimed {
		if i < len(sent) {
			resp = append(resp, sent[i])
		} else {
			resp = append(resp, labFiller[i%len(labFiller)])
		}
	}
	pad := make([]byte, 16)
	_, _ = rand.Read(pad)
	return s.toClient(frame(24, version, append(resp, pad...)))
}

// answerSSL2 answers an SSLv2 CLIENT-HELLO with a SERVER-HELLO carrying
// the certificate and four SSLv2 ciphers, then waits for the client to
// leave: no probe goes further.
func (b *bugProxy) answerSSL2(c net.Conn, r *bufio.Reader) {
	hdr := make([]byte, 2)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return
	}
	if _, err := io.CopyN(io.Discard, r, int64(hdr[0]&0x7f)<<8|int64(hdr[1])); err != nil {
		return
	}
	specs := []byte{0x01, 0x00, 0x80, 0x03, 0x00, 0x80, 0x06, 0x00, 0x40, 0x07, 0x00, 0xc0}
	connID := make([]byte, 16)
	_, _ = rand.Read(connID)
	var m cryptobyte.Builder
	m.AddUint8(4) // SERVER-HELLO
	m.AddUint8(0) // no session-id hit
	m.AddUint8(1) // X.509 certificate
	m.AddUint16(0x0002)
	m.AddUint16(uint16(len(b.leaf)))
	m.AddUint16(uint16(len(specs)))
	m.AddUint16(uint16(len(connID)))
	m.AddBytes(b.leaf)
	m.AddBytes(specs)
	m.AddBytes(connID)
	body, err := m.Bytes()
	if err != nil || len(body) > 0x7fff {
		return
	}
	_, _ = c.Write(append([]byte{0x80 | byte(len(body)>>8), byte(len(body))}, body...))
	drain(c)
}

// frame cuts handshake (or other) bytes into records of at most 2^14.
func frame(typ byte, version uint16, p []byte) []byte {
	var out []byte
	for chunk := range slices.Chunk(p, 1<<14) {
		out = append(out, typ, byte(version>>8), byte(version), byte(len(chunk)>>8), byte(len(chunk)))
		out = append(out, chunk...)
	}
	return out
}

func readLabRecord(r io.Reader) ([]byte, []byte, error) {
	hdr := make([]byte, 5)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, nil, err
	}
	n := int(hdr[3])<<8 | int(hdr[4])
	if n > 1<<14+2048 {
		return nil, nil, fmt.Errorf("record of %d bytes", n)
	}
	payload := make([]byte, n)
	_, err := io.ReadFull(r, payload)
	return hdr, payload, err
}

// proxiedHello is a client's first flight as the bug proxy sees it.
type proxiedHello struct {
	raw         []byte // the records as received
	version     uint16
	suites      []uint16
	compression []byte
	extensions  map[uint16][]byte
	// body is the ClientHello message body.
	body []byte
}

func (h *proxiedHello) hasExtension(typ uint16) bool { _, ok := h.extensions[typ]; return ok }

// offersOnlyWeakCurve: the hello offers secp192r1 and none of the curves
// Go implements.
func (h *proxiedHello) offersOnlyWeakCurve() bool {
	s := cryptobyte.String(h.extensions[10])
	var list cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&list) {
		return false
	}
	weak := false
	for !list.Empty() {
		var g uint16
		if !list.ReadUint16(&g) {
			return false
		}
		switch {
		case g == 0x0013:
			weak = true
		case g == 0x001D || g == 0x0017 || g == 0x0018 || g == 0x0019 || g > 0x0100:
			return false
		}
	}
	return weak
}

// withoutSuite re-encodes the hello without suite id, in one record.
func (h *proxiedHello) withoutSuite(id uint16) ([]byte, error) {
	in := cryptobyte.String(h.body)
	var version uint16
	var random, sid, suites []byte
	if !in.ReadUint16(&version) || !in.ReadBytes(&random, 32) ||
		!in.ReadUint8LengthPrefixed((*cryptobyte.String)(&sid)) || !in.ReadUint16LengthPrefixed((*cryptobyte.String)(&suites)) {
		return nil, errors.New("bug proxy: bad client hello")
	}
	var b cryptobyte.Builder
	b.AddUint8(1)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16(version)
		b.AddBytes(random)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sid) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, s := range h.suites {
				if s != id {
					b.AddUint16(s)
				}
			}
		})
		b.AddBytes(in)
	})
	msg, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	return frame(22, uint16(h.raw[1])<<8|uint16(h.raw[2]), msg), nil
}

// readHelloRecords reads the records carrying the ClientHello and parses
// what the bugs are triggered by.
func readHelloRecords(r io.Reader) (*proxiedHello, error) {
	h := &proxiedHello{extensions: map[uint16][]byte{}}
	var hs []byte
	for len(hs) < 4 || len(hs) < 4+(int(hs[1])<<16|int(hs[2])<<8|int(hs[3])) {
		hdr, payload, err := readLabRecord(r)
		if err != nil {
			return nil, err
		}
		if hdr[0] != 22 {
			return nil, errors.New("not a handshake record")
		}
		h.raw = append(append(h.raw, hdr...), payload...)
		if hs = append(hs, payload...); len(hs) > 1<<16 {
			return nil, errors.New("client hello too long")
		}
	}
	if hs[0] != 1 {
		return nil, errors.New("not a client hello")
	}
	h.body = hs[4 : 4+(int(hs[1])<<16|int(hs[2])<<8|int(hs[3]))]
	s := cryptobyte.String(h.body)
	var random, sid, suites, comp cryptobyte.String
	if !s.ReadUint16(&h.version) || !s.ReadBytes((*[]byte)(&random), 32) || !s.ReadUint8LengthPrefixed(&sid) ||
		!s.ReadUint16LengthPrefixed(&suites) || !s.ReadUint8LengthPrefixed(&comp) {
		return nil, errors.New("malformed client hello")
	}
	h.compression = comp
	for !suites.Empty() {
		var id uint16
		if !suites.ReadUint16(&id) {
			return nil, errors.New("malformed cipher suite list")
		}
		h.suites = append(h.suites, id)
	}
	var exts cryptobyte.String
	if !s.Empty() && s.ReadUint16LengthPrefixed(&exts) {
		for !exts.Empty() {
			var typ uint16
			var data cryptobyte.String
			if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
				return nil, errors.New("malformed extensions")
			}
			h.extensions[typ] = data
		}
	}
	return h, nil
}

// pipeListener hands the bug proxy's connections to the real server
// in-process.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *pipeListener) dial() (net.Conn, error) {
	a, b := net.Pipe()
	select {
	case l.conns <- b:
		return a, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "bug-proxy-backend" }
