package lab

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
)

// helloOnlyServer plays a server that neither crypto/tls nor zcrypto can
// be: one offering NULL, EXPORT or anonymous suites, SSL 3.0, or a DH
// group other than zcrypto's fixed 2048 bits. It answers a ClientHello as
// such a server would, up to ServerHelloDone (ServerHello, Certificate,
// ServerKeyExchange), and then waits for the client to hang up. That is
// all the enumeration probes read; a client that goes on to complete the
// handshake (the scanner's shared handshake) fails, as against a server
// whose suites it does not implement, which is what such servers look
// like to real clients too.
type helloOnlyServer struct {
	minVersion, maxVersion uint16
	// suites is the server's order of preference; it always picks by it.
	suites []uint16
	// dhBits is the size of the DH prime sent for DHE and DH_anon suites.
	// The prime is random bytes of that size: no probe completes the
	// exchange, so only its size matters.
	dhBits int
	// chain is the certificate chain (DER) for authenticated suites.
	chain [][]byte
	// curve is the named curve sent for ECDHE suites; the point is random
	// bytes of that curve's size.
	curve uint16
	// legacy sends a ServerHello without extensions, like a server from
	// before RFC 5746 (no renegotiation_info) and RFC 7627 (no extended
	// master secret). Otherwise TLS 1.0-1.2 ServerHellos carry both, as
	// every current server's do for clients that offer them (all
	// tlsaudit's do).
	legacy bool
}

func (h *helloOnlyServer) serve(c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	hello, err := readClientHello(c)
	if err != nil {
		return
	}
	version := min(hello.version, h.maxVersion)
	if slices.Contains(hello.suites, 0x5600) && hello.version < h.maxVersion {
		// TLS_FALLBACK_SCSV below the newest version (RFC 7507), which
		// the servers these fakes stand for honour.
		_, _ = c.Write(alertRecord(version, 86)) // inappropriate_fallback
		drain(c)
		return
	}
	if version < h.minVersion {
		_, _ = c.Write(alertRecord(version, 70)) // protocol_version
		drain(c)
		return
	}
	i := slices.IndexFunc(h.suites, func(id uint16) bool {
		return slices.Contains(hello.suites, id) && (version >= tlsinfo.VersionTLS12 || !tlsinfo.Suite(id).TLS12Only)
	})
	if i < 0 {
		_, _ = c.Write(alertRecord(version, 40)) // handshake_failure
		drain(c)
		return
	}
	flight, err := h.flight(version, h.suites[i])
	if err != nil {
		return
	}
	_, _ = c.Write(flight)
	// A client that goes on (the shared handshake's key exchange) gets the
	// alert a real server sends when the exchange fails, rather than
	// silence until its timeout.
	hdr := make([]byte, 5)
	if _, err := io.ReadFull(c, hdr); err != nil {
		return
	}
	_, _ = c.Write(alertRecord(version, 40)) // handshake_failure
	drain(c)
}

// drain waits for the client to hang up, so that closing does not reset
// the connection under a client still reading.
func drain(c net.Conn) { _, _ = io.Copy(io.Discard, io.LimitReader(c, 1<<20)) }

// flight is the server's first flight for the chosen version and suite.
func (h *helloOnlyServer) flight(version, suite uint16) ([]byte, error) {
	info := tlsinfo.Suite(suite)
	var msgs cryptobyte.Builder
	message := func(typ uint8, body func(*cryptobyte.Builder)) {
		msgs.AddUint8(typ)
		msgs.AddUint24LengthPrefixed(body)
	}
	random := make([]byte, 32)
	_, _ = rand.Read(random)
	message(2, func(b *cryptobyte.Builder) { // ServerHello
		b.AddUint16(version)
		b.AddBytes(random)
		b.AddUint8(0) // no session ID
		b.AddUint16(suite)
		b.AddUint8(0) // null compression
		if version >= tlsinfo.VersionTLS10 && !h.legacy {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddBytes([]byte{0xff, 0x01, 0, 1, 0}) // renegotiation_info, initial handshake
				b.AddBytes([]byte{0, 23, 0, 0})         // extended_master_secret
			})
		}
	})
	if !info.Anonymous() {
		message(11, func(b *cryptobyte.Builder) { // Certificate
			b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
				for _, der := range h.chain {
					b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(der) })
				}
			})
		})
	}
	if info.Kex == "DHE" {
		p := make([]byte, h.dhBits/8)
		_, _ = rand.Read(p)
		p[0] |= 0x80
		p[len(p)-1] |= 1
		y := make([]byte, len(p)-1)
		_, _ = rand.Read(y)
		message(12, func(b *cryptobyte.Builder) { // ServerKeyExchange
			for _, v := range [][]byte{p, {2}, y} {
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(v) })
			}
			if info.Anonymous() {
				return
			}
			// A signature of the right shape; nobody verifies it.
			if version >= tlsinfo.VersionTLS12 {
				b.AddUint16(0x0401) // rsa_pkcs1_sha256
			}
			sig := make([]byte, 256)
			_, _ = rand.Read(sig)
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sig) })
		})
	}
	if info.EllipticDH() {
		point := make([]byte, 1+2*curveBytes(h.curve))
		_, _ = rand.Read(point)
		point[0] = 4 // uncompressed

		message(12, func(b *cryptobyte.Builder) { // ServerKeyExchange
			b.AddUint8(3) // named_curve
			b.AddUint16(h.curve)
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(point) })
			if version >= tlsinfo.VersionTLS12 {
				b.AddUint16(0x0401) // rsa_pkcs1_sha256
			}
			sig := make([]byte, 256)
			_, _ = rand.Read(sig)
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sig) })
		})
	}
	message(14, func(*cryptobyte.Builder) {}) // ServerHelloDone
	body, err := msgs.Bytes()
	if err != nil {
		return nil, err
	}
	var out []byte
	for chunk := range slices.Chunk(body, 1<<14) {
		out = append(out, 22, byte(version>>8), byte(version), byte(len(chunk)>>8), byte(len(chunk)))
		out = append(out, chunk...)
	}
	return out, nil
}

func alertRecord(version uint16, desc byte) []byte {
	return []byte{21, byte(version >> 8), byte(version), 0, 2, 2, desc}
}

type clientHello struct {
	version uint16
	suites  []uint16
}

// readClientHello reads and parses the first handshake message.
func readClientHello(c net.Conn) (*clientHello, error) {
	var hs []byte
	hdr := make([]byte, 5)
	for len(hs) < 4 || len(hs) < 4+(int(hs[1])<<16|int(hs[2])<<8|int(hs[3])) {
		if _, err := io.ReadFull(c, hdr); err != nil {
			return nil, err
		}
		if hdr[0] != 22 {
			return nil, errors.New("not a handshake record")
		}
		rec := make([]byte, int(hdr[3])<<8|int(hdr[4]))
		if _, err := io.ReadFull(c, rec); err != nil {
			return nil, err
		}
		if hs = append(hs, rec...); len(hs) > 1<<16 {
			return nil, errors.New("client hello too long")
		}
	}
	s := cryptobyte.String(hs[4:])
	var h clientHello
	var random, sid, suites cryptobyte.String
	if hs[0] != 1 || !s.ReadUint16(&h.version) || !s.ReadBytes((*[]byte)(&random), 32) ||
		!s.ReadUint8LengthPrefixed(&sid) || !s.ReadUint16LengthPrefixed(&suites) {
		return nil, fmt.Errorf("malformed client hello")
	}
	for !suites.Empty() {
		var id uint16
		if !suites.ReadUint16(&id) {
			return nil, fmt.Errorf("malformed cipher suite list")
		}
		h.suites = append(h.suites, id)
	}
	return &h, nil
}

// curveBytes is the field size in bytes of a named curve, for the shape of
// a fake point.
func curveBytes(id uint16) int {
	switch {
	case id >= 0x0F && id <= 0x11: // secp160*
		return 21
	case id == 0x12 || id == 0x13: // secp192*
		return 24
	case id == 0x17:
		return 32
	}
	return 32
}
