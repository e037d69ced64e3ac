package enum

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"

	"golang.org/x/crypto/cryptobyte"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// ServerHello is what a probe needs from a ServerHello (or a TLS 1.3
// HelloRetryRequest, which has the same shape).
type ServerHello struct {
	// Version is the negotiated version: supported_versions when present
	// (TLS 1.3), else the legacy version field.
	Version uint16
	Suite   uint16
	// Group is the TLS 1.3 key-share group the server chose, or 0. A
	// HelloRetryRequest needs no flag of its own: it carries
	// supported_versions (RFC 8446 §4.1.4), so version says TLS 1.3 and the
	// probe stops there as for a ServerHello, the suite and group chosen.
	Group uint16
	// Compression is the compression method chosen; Extensions the
	// extension types present, in order (nil for hellos without an
	// extensions block, as SSL 3.0 sends).
	Compression uint8
	Extensions  []uint16
}

// HasExtension reports whether the ServerHello carried extension typ.
func (h *ServerHello) HasExtension(typ uint16) bool { return slices.Contains(h.Extensions, typ) }

var errMalformed = errors.New("malformed server handshake message")

// ParseServerHello parses a ServerHello message body (after the 4-byte
// message header).
func ParseServerHello(body []byte) (*ServerHello, error) {
	s := cryptobyte.String(body)
	var h ServerHello
	var random, sessionID []byte
	if !s.ReadUint16(&h.Version) || !s.ReadBytes(&random, 32) ||
		!s.ReadUint8LengthPrefixed((*cryptobyte.String)(&sessionID)) ||
		!s.ReadUint16(&h.Suite) || !s.ReadUint8(&h.Compression) {
		return nil, fmt.Errorf("%w: short ServerHello", errMalformed)
	}
	if s.Empty() {
		return &h, nil // SSL 3.0 and old servers send no extensions
	}
	var exts cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&exts) || !s.Empty() {
		return nil, fmt.Errorf("%w: bad ServerHello extensions", errMalformed)
	}
	for !exts.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
			return nil, fmt.Errorf("%w: bad ServerHello extension", errMalformed)
		}
		h.Extensions = append(h.Extensions, typ)
		switch typ {
		case extSupportedVersions:
			if !data.ReadUint16(&h.Version) {
				return nil, fmt.Errorf("%w: bad supported_versions", errMalformed)
			}
		case extKeyShare:
			// A HelloRetryRequest names only the group; a ServerHello
			// follows it with the server's share.
			if !data.ReadUint16(&h.Group) {
				return nil, fmt.Errorf("%w: bad key_share", errMalformed)
			}
		}
	}
	return &h, nil
}

// KeyExchange is what a probe learns from a TLS 1.0-1.2 ServerKeyExchange.
type KeyExchange struct {
	// DHBits is the size of the finite-field DH prime, for DHE suites.
	DHBits int
	// Curve is the named group of an ECDHE exchange.
	Curve uint16
}

// ParseServerKeyExchange reads the parameters at the start of a
// ServerKeyExchange body (RFC 5246 §7.4.3, RFC 8422 §5.4); the signature
// after them is not needed.
func ParseServerKeyExchange(body []byte, suite tlsinfo.SuiteInfo) (KeyExchange, error) {
	s := cryptobyte.String(body)
	var kx KeyExchange
	switch {
	case suite.FiniteFieldDH():
		var p cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&p) || len(p) == 0 {
			return kx, fmt.Errorf("%w: bad DH parameters", errMalformed)
		}
		kx.DHBits = new(big.Int).SetBytes(p).BitLen()
	case suite.EllipticDH():
		var curveType uint8
		if !s.ReadUint8(&curveType) {
			return kx, fmt.Errorf("%w: bad ECDH parameters", errMalformed)
		}
		if curveType != 3 { // named_curve; explicit curves are long gone
			return kx, fmt.Errorf("%w: ECDH curve type %d is not a named curve", errMalformed, curveType)
		}
		if !s.ReadUint16(&kx.Curve) {
			return kx, fmt.Errorf("%w: bad ECDH parameters", errMalformed)
		}
	}
	return kx, nil
}

// An Answer is how the server answered one ClientHello.
type Answer struct {
	Hello *ServerHello
	Kex   KeyExchange
	// Alert is the fatal alert the server sent instead of a ServerHello,
	// or -1.
	Alert int
}

// maxFlight bounds what a probe reads: a ServerHello plus a certificate
// chain and key exchange fit comfortably.
const maxFlight = 256 << 10

// ReadAnswer reads the server's answer to a ClientHello: a ServerHello or a
// fatal alert. When wantKex says the chosen suite carries key-exchange
// parameters worth reading (TLS 1.0-1.2 DHE and ECDHE), it keeps reading
// past the Certificate to the ServerKeyExchange; otherwise it stops at the
// ServerHello. It never answers the server.
func ReadAnswer(r io.Reader, wantKex func(*ServerHello) bool) (*Answer, error) {
	ans := &Answer{Alert: -1}
	var hs []byte // handshake bytes not yet parsed into messages
	total := 0
	hdr := make([]byte, 5)
	for {
		if _, err := io.ReadFull(r, hdr); err != nil {
			if ans.Hello != nil {
				return ans, nil // the server hung up after its ServerHello
			}
			return nil, err
		}
		typ, n := hdr[0], int(hdr[3])<<8|int(hdr[4])
		if typ < recordChangeCipherSpec || typ > recordApplicationData || hdr[1] != 3 {
			return nil, netx.NotTLS(hdr)
		}
		if n > maxRecordPayload+2048 {
			return nil, fmt.Errorf("%w: record of %d bytes", errMalformed, n)
		}
		if total += n; total > maxFlight {
			return nil, fmt.Errorf("%w: server flight longer than %d bytes", errMalformed, maxFlight)
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(r, payload); err != nil {
			if ans.Hello != nil {
				return ans, nil
			}
			return nil, err
		}
		switch typ {
		case recordAlert:
			if len(payload) < 2 {
				return nil, fmt.Errorf("%w: short alert", errMalformed)
			}
			if payload[0] == 1 && payload[1] != 0 {
				continue // a warning, such as unrecognized_name: not an answer
			}
			if ans.Hello == nil {
				ans.Alert = int(payload[1])
			}
			return ans, nil
		case recordChangeCipherSpec:
			continue // TLS 1.3 middlebox compatibility
		case recordApplicationData:
			if ans.Hello == nil {
				return nil, fmt.Errorf("%w: application data before ServerHello", errMalformed)
			}
			return ans, nil // encrypted from here on (TLS 1.3)
		}
		hs = append(hs, payload...)
		for len(hs) >= 4 {
			mlen := int(hs[1])<<16 | int(hs[2])<<8 | int(hs[3])
			if len(hs) < 4+mlen {
				break
			}
			mtype, body := hs[0], hs[4:4+mlen]
			hs = hs[4+mlen:]
			if ans.Hello == nil {
				if mtype != msgServerHello {
					return nil, fmt.Errorf("%w: handshake message %d before ServerHello", errMalformed, mtype)
				}
				h, err := ParseServerHello(body)
				if err != nil {
					return nil, err
				}
				ans.Hello = h
				if h.Version >= tlsinfo.VersionTLS13 || !wantKex(h) {
					return ans, nil
				}
				continue
			}
			switch mtype {
			case msgCertificate, msgCertificateStatus:
				continue
			case msgServerKeyExchange:
				kx, err := ParseServerKeyExchange(body, tlsinfo.Suite(ans.Hello.Suite))
				if err != nil {
					return nil, err
				}
				ans.Kex = kx
			}
			return ans, nil // the key exchange, or a message after where it would be
		}
	}
}
