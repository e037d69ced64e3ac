package tls12

import (
	"errors"

	"golang.org/x/crypto/cryptobyte"
)

// Extension numbers used here.
const (
	ExtServerName      = 0
	ExtSupportedGroups = 10
	ExtPointFormats    = 11
	ExtSignatureAlgs   = 13
	ExtEMS             = 23
	ExtRenegotiation   = 0xff01
)

// Hello is a ClientHello or ServerHello, as far as this package needs.
type Hello struct {
	Version    uint16
	Random     []byte
	SessionID  []byte
	Suites     []uint16 // ClientHello: offered; ServerHello: one, chosen
	Extensions map[uint16][]byte
	// ExtensionOrder keeps the order extensions are written in.
	ExtensionOrder []uint16
}

// SetExtension adds or replaces an extension.
func (h *Hello) SetExtension(typ uint16, body []byte) {
	if h.Extensions == nil {
		h.Extensions = map[uint16][]byte{}
	}
	if _, ok := h.Extensions[typ]; !ok {
		h.ExtensionOrder = append(h.ExtensionOrder, typ)
	}
	h.Extensions[typ] = body
}

// Marshal encodes the hello body; client selects the ClientHello form
// (suite list and compression list) over the ServerHello one.
func (h *Hello) Marshal(client bool) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddUint16(h.Version)
	b.AddBytes(h.Random)
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(h.SessionID) })
	if client {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, s := range h.Suites {
				b.AddUint16(s)
			}
		})
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) })
	} else {
		b.AddUint16(h.Suites[0])
		b.AddUint8(0)
	}
	if len(h.ExtensionOrder) > 0 {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, typ := range h.ExtensionOrder {
				b.AddUint16(typ)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(h.Extensions[typ]) })
			}
		})
	}
	return b.Bytes()
}

var errBadHello = errors.New("malformed hello")

// ParseHello parses a ClientHello (client) or ServerHello body.
func ParseHello(body []byte, client bool) (*Hello, error) {
	s := cryptobyte.String(body)
	h := &Hello{Extensions: map[uint16][]byte{}}
	var sid cryptobyte.String
	if !s.ReadUint16(&h.Version) || !s.ReadBytes(&h.Random, 32) || !s.ReadUint8LengthPrefixed(&sid) {
		return nil, errBadHello
	}
	h.SessionID = sid
	if client {
		var suites, comp cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&suites) || !s.ReadUint8LengthPrefixed(&comp) {
			return nil, errBadHello
		}
		for !suites.Empty() {
			var id uint16
			if !suites.ReadUint16(&id) {
				return nil, errBadHello
			}
			h.Suites = append(h.Suites, id)
		}
	} else {
		var suite uint16
		var comp uint8
		if !s.ReadUint16(&suite) || !s.ReadUint8(&comp) {
			return nil, errBadHello
		}
		h.Suites = []uint16{suite}
	}
	if s.Empty() {
		return h, nil
	}
	var exts cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&exts) || !s.Empty() {
		return nil, errBadHello
	}
	for !exts.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
			return nil, errBadHello
		}
		h.SetExtension(typ, data)
	}
	return h, nil
}

// RenegotiationInfo encodes a renegotiation_info body (RFC 5746 §3.2):
// the previous handshake's verify_data, empty on an initial handshake.
func RenegotiationInfo(verify ...[]byte) []byte {
	var out []byte
	for _, v := range verify {
		out = append(out, v...)
	}
	return append([]byte{byte(len(out))}, out...)
}
