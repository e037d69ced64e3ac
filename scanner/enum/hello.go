package enum

import (
	"crypto/ecdh"
	"crypto/rand"
	"fmt"
	"slices"
	"sync"

	"golang.org/x/crypto/cryptobyte"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
)

// A Hello is one ClientHello of the enumeration: one protocol version
// (never a range, so the answer says exactly whether that version is
// accepted), the suites and groups on offer, and the server name.
//
// The hellos are built by hand rather than with zcrypto because a probe
// must offer suites no library implements (EXPORT, anonymous, NULL, static
// DH, Camellia, ARIA...) and stop at the ServerHello: a server's answer to
// an offer is all enumeration needs, so no key exchange is ever computed.
type Hello struct {
	Version    uint16
	Suites     []uint16
	Groups     []uint16
	ServerName string
	// KeyShares sends TLS 1.3 key shares for x25519 and secp256r1 (when
	// offered), so most servers answer with a ServerHello. Without them
	// the key_share list is empty and a TLS 1.3 server must answer with a
	// HelloRetryRequest naming the group it prefers: how groups are
	// enumerated.
	KeyShares bool
	// Compression lists the compression methods offered; nil offers only
	// null. TLS 1.3 hellos always offer only null (RFC 8446 §4.1.2).
	Compression []uint8
	// Extra holds extensions appended as they are (type, length, body), for
	// probes that offer what enumeration never does (heartbeat).
	Extra []byte
}

// TLS extension and message numbers used by the probes.
const (
	extServerName          = 0
	extSupportedGroups     = 10
	extPointFormats        = 11
	extALPN                = 16
	extSignatureAlgorithms = 13
	extPadding             = 21
	extExtendedMasterSec   = 23
	extSupportedVersions   = 43
	extPSKModes            = 45
	extKeyShare            = 51
	extRenegotiationInfo   = 0xff01

	recordChangeCipherSpec = 20
	recordAlert            = 21
	recordHandshake        = 22
	recordApplicationData  = 23

	msgClientHello       = 1
	msgServerHello       = 2
	msgCertificate       = 11
	msgServerKeyExchange = 12
	msgCertificateReq    = 13
	msgServerHelloDone   = 14
	msgCertificateStatus = 22

	maxRecordPayload = 1 << 14
)

// probeSignatureSchemes is every signature scheme a server might need to
// sign its key exchange with, SHA-1 and DSA included: a probe must not be
// refused for lack of a signature algorithm when the question is the suite.
var probeSignatureSchemes = []uint16{
	0x0403, 0x0503, 0x0603, // ecdsa_secp256r1_sha256 ... secp521r1_sha512
	0x0804, 0x0805, 0x0806, // rsa_pss_rsae_sha256 ... sha512
	0x0807, 0x0808, // ed25519, ed448
	0x0809, 0x080a, 0x080b, // rsa_pss_pss_sha256 ... sha512
	0x0401, 0x0501, 0x0601, // rsa_pkcs1_sha256 ... sha512
	0x0402, 0x0502, 0x0602, // dsa_sha256 ... sha512 (TLS 1.2 only)
	0x0303, 0x0301, 0x0302, // sha224 with ecdsa, rsa, dsa
	0x0203, 0x0201, 0x0202, // sha1 with ecdsa, rsa, dsa
}

// keyShares are one throwaway public key per group the probes send shares
// for. The private keys are discarded: a probe never completes the key
// exchange, so one set serves every probe of the process.
var keyShares = sync.OnceValues(func() (map[uint16][]byte, error) {
	shares := map[uint16][]byte{}
	for id, curve := range map[uint16]ecdh.Curve{0x001D: ecdh.X25519(), 0x0017: ecdh.P256()} {
		k, err := curve.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("generate %s key share: %w", tlsinfo.GroupName(id), err)
		}
		shares[id] = k.PublicKey().Bytes()
	}
	return shares, nil
})

// Marshal builds the ClientHello as TLS records ready to write.
func (h Hello) Marshal() ([]byte, error) {
	body, err := h.marshalBody()
	if err != nil {
		return nil, err
	}
	var msg cryptobyte.Builder
	msg.AddUint8(msgClientHello)
	msg.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(body) })
	hs, err := msg.Bytes()
	if err != nil {
		return nil, fmt.Errorf("build client hello: %w", err)
	}
	// SSL 3.0 servers want their own version in the record layer; for the
	// rest 0x0301 is what every client sends, because some servers refuse
	// a higher record version in the first flight.
	recVersion := tlsinfo.VersionTLS10
	if h.Version == tlsinfo.VersionSSL30 {
		recVersion = tlsinfo.VersionSSL30
	}
	var out []byte
	for chunk := range slices.Chunk(hs, maxRecordPayload) {
		out = append(out, recordHandshake, byte(recVersion>>8), byte(recVersion), byte(len(chunk)>>8), byte(len(chunk)))
		out = append(out, chunk...)
	}
	return out, nil
}

func (h Hello) marshalBody() ([]byte, error) {
	random := make([]byte, 32)
	_, _ = rand.Read(random)
	legacyVersion := min(h.Version, tlsinfo.VersionTLS12)
	suites := h.Suites
	if h.Version == tlsinfo.VersionSSL30 {
		// SSL 3.0 has no extensions; the SCSV signals secure
		// renegotiation instead (RFC 5746).
		suites = append(slices.Clone(suites), 0x00FF)
	}
	var b cryptobyte.Builder
	b.AddUint16(legacyVersion)
	b.AddBytes(random)
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
		if h.Version == tlsinfo.VersionTLS13 {
			// A session ID makes TLS 1.3 look like a TLS 1.2 resumption
			// to middleboxes (RFC 8446 §D.4).
			sid := make([]byte, 32)
			_, _ = rand.Read(sid)
			b.AddBytes(sid)
		}
	})
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, s := range suites {
			b.AddUint16(s)
		}
	})
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
		if len(h.Compression) == 0 || h.Version == tlsinfo.VersionTLS13 {
			b.AddUint8(0) // null compression
			return
		}
		b.AddBytes(h.Compression)
	})
	head, err := b.Bytes()
	if err != nil || h.Version == tlsinfo.VersionSSL30 {
		return head, err
	}
	ext, err := h.extensions()
	if err != nil {
		return nil, err
	}
	// Hellos of 256 to 511 bytes (with record and message headers) hang
	// some load balancers (RFC 7685): pad those to 512.
	if size := 5 + 4 + len(head) + 2 + len(ext); size >= 256 && size < 512 {
		pad := max(512-size-4, 0)
		ext = append(ext, byte(extPadding>>8), byte(extPadding&0xff), byte(pad>>8), byte(pad))
		ext = append(ext, make([]byte, pad)...)
	}
	out := cryptobyte.NewBuilder(head)
	out.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(ext) })
	return out.Bytes()
}

// ALPNExtension is the application_layer_protocol_negotiation extension
// (RFC 7301) offering protos, ready for Hello.Extra; nil for none.
func ALPNExtension(protos []string) []byte {
	if len(protos) == 0 {
		return nil
	}
	var b cryptobyte.Builder
	b.AddUint16(extALPN)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, p := range protos {
				b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(p)) })
			}
		})
	})
	return b.BytesOrPanic()
}

func (h Hello) extensions() ([]byte, error) {
	var b cryptobyte.Builder
	add := func(typ uint16, body func(*cryptobyte.Builder)) {
		b.AddUint16(typ)
		b.AddUint16LengthPrefixed(body)
	}
	if h.ServerName != "" {
		add(extServerName, func(b *cryptobyte.Builder) {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddUint8(0) // host_name
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(h.ServerName)) })
			})
		})
	}
	if len(h.Groups) > 0 {
		add(extSupportedGroups, func(b *cryptobyte.Builder) {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				for _, g := range h.Groups {
					b.AddUint16(g)
				}
			})
		})
		add(extPointFormats, func(b *cryptobyte.Builder) {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) }) // uncompressed
		})
	}
	add(extSignatureAlgorithms, func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, s := range probeSignatureSchemes {
				b.AddUint16(s)
			}
		})
	})
	add(extRenegotiationInfo, func(b *cryptobyte.Builder) { b.AddUint8(0) })
	add(extExtendedMasterSec, func(*cryptobyte.Builder) {})
	if h.Version == tlsinfo.VersionTLS13 {
		add(extSupportedVersions, func(b *cryptobyte.Builder) {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint16(tlsinfo.VersionTLS13) })
		})
		add(extPSKModes, func(b *cryptobyte.Builder) {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(1) }) // psk_dhe_ke
		})
		var shares map[uint16][]byte
		if h.KeyShares {
			var err error
			if shares, err = keyShares(); err != nil {
				return nil, err
			}
		}
		add(extKeyShare, func(b *cryptobyte.Builder) {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				for _, g := range h.Groups {
					if key, ok := shares[g]; ok {
						b.AddUint16(g)
						b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(key) })
					}
				}
			})
		})
	}
	b.AddBytes(h.Extra)
	ext, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("build client hello extensions: %w", err)
	}
	return ext, nil
}
