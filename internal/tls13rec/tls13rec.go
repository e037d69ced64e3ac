// Package tls13rec protects and unprotects TLS 1.3 records under a traffic
// secret (RFC 8446 sections 5.2 and 7.3) and reads the early_data
// extension of a NewSessionTicket. crypto/tls keeps post-handshake messages
// to itself; with the traffic secret its KeyLogWriter hands out, the
// early-data probe reads the tickets a server sends and the lab's 0-RTT
// stand-in rewrites the tickets crypto/tls sends.
package tls13rec

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/cryptobyte"
)

// Record content types and the handshake message and extension this
// package reads.
const (
	TypeHandshake       = 22
	TypeApplicationData = 23

	msgNewSessionTicket = 4
	extEarlyData        = 42
)

// A Protector seals and opens the records of one direction under one
// traffic secret, counting sequence numbers as RFC 8446 section 5.3 says.
type Protector struct {
	aead cipher.AEAD
	iv   []byte
	seq  uint64
}

// NewProtector derives the record key and IV of suite (a TLS 1.3 cipher
// suite ID) from a traffic secret.
func NewProtector(suite uint16, secret []byte) (*Protector, error) {
	var h func() hash.Hash
	var keyLen int
	switch suite {
	case 0x1301:
		h, keyLen = sha256.New, 16
	case 0x1302:
		h, keyLen = sha512.New384, 32
	case 0x1303:
		h, keyLen = sha256.New, 32
	default:
		return nil, fmt.Errorf("cipher suite %#04x is not a TLS 1.3 suite this package knows", suite)
	}
	key, err := expandLabel(h, secret, "key", keyLen)
	if err != nil {
		return nil, err
	}
	iv, err := expandLabel(h, secret, "iv", 12)
	if err != nil {
		return nil, err
	}
	var aead cipher.AEAD
	if suite == 0x1303 {
		aead, err = chacha20poly1305.New(key)
	} else {
		var b cipher.Block
		if b, err = aes.NewCipher(key); err == nil {
			aead, err = cipher.NewGCM(b)
		}
	}
	if err != nil {
		return nil, err
	}
	return &Protector{aead: aead, iv: iv}, nil
}

// expandLabel is HKDF-Expand-Label with an empty context.
func expandLabel(h func() hash.Hash, secret []byte, label string, n int) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddUint16(uint16(n))
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte("tls13 " + label)) })
	b.AddUint8(0)
	info, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	return hkdf.Expand(h, secret, string(info), n)
}

func (p *Protector) nonce() []byte {
	n := bytes.Clone(p.iv)
	var seq [8]byte
	binary.BigEndian.PutUint64(seq[:], p.seq)
	for i := range seq {
		n[len(n)-8+i] ^= seq[i]
	}
	return n
}

// Open unprotects one application_data record (header and payload). On
// success the sequence number advances; on failure (another key protected
// the record) it does not, so a caller may try the next record.
func (p *Protector) Open(record []byte) (typ byte, content []byte, err error) {
	if len(record) < 5 || record[0] != TypeApplicationData {
		return 0, nil, errors.New("not a protected record")
	}
	plain, err := p.aead.Open(nil, p.nonce(), record[5:], record[:5])
	if err != nil {
		return 0, nil, err
	}
	p.seq++
	// The inner plaintext is content, type, then zero padding.
	i := len(plain) - 1
	for i >= 0 && plain[i] == 0 {
		i--
	}
	if i < 0 {
		return 0, nil, errors.New("protected record without a content type")
	}
	return plain[i], plain[:i], nil
}

// Seal protects content of type typ as one record and advances the
// sequence number.
func (p *Protector) Seal(typ byte, content []byte) []byte {
	inner := append(bytes.Clone(content), typ)
	n := len(inner) + p.aead.Overhead()
	hdr := []byte{TypeApplicationData, 3, 3, byte(n >> 8), byte(n)}
	out := p.aead.Seal(hdr, p.nonce(), inner, hdr)
	p.seq++
	return out
}

// KeyLogSecret returns the secret of label in NSS key log text (lines of
// "LABEL client_random secret"), the last one if several.
func KeyLogSecret(keylog, label string) ([]byte, bool) {
	var secret []byte
	for line := range strings.Lines(keylog) {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == label {
			if s, err := hex.DecodeString(f[2]); err == nil {
				secret = s
			}
		}
	}
	return secret, secret != nil
}

// Messages splits handshake content into whole messages (type, 3-byte
// length, body); a trailing partial message is dropped.
func Messages(content []byte) [][]byte {
	var out [][]byte
	for len(content) >= 4 {
		n := int(content[1])<<16 | int(content[2])<<8 | int(content[3])
		if len(content) < 4+n {
			break
		}
		out = append(out, content[:4+n])
		content = content[4+n:]
	}
	return out
}

// ticketExtensions splits a NewSessionTicket message into the part before
// its extensions and the extensions block; ok is false for another message
// or a malformed ticket.
func ticketExtensions(msg []byte) (head []byte, exts cryptobyte.String, ok bool) {
	if len(msg) < 4 || msg[0] != msgNewSessionTicket {
		return nil, nil, false
	}
	s := cryptobyte.String(msg[4:])
	var nonce, ticket cryptobyte.String
	if !s.Skip(8) || !s.ReadUint8LengthPrefixed(&nonce) || !s.ReadUint16LengthPrefixed(&ticket) ||
		!s.ReadUint16LengthPrefixed(&exts) || !s.Empty() {
		return nil, nil, false
	}
	return msg[4 : len(msg)-len(exts)-2], exts, true
}

// MaxEarlyData reads a NewSessionTicket's early_data extension: the most
// 0-RTT data the server will take on a resumption with this ticket. isTicket
// is false when msg is not a well-formed NewSessionTicket.
func MaxEarlyData(msg []byte) (max uint32, isTicket bool) {
	_, exts, ok := ticketExtensions(msg)
	if !ok {
		return 0, false
	}
	for !exts.Empty() {
		var typ uint16
		var body cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&body) {
			return 0, false
		}
		if typ == extEarlyData && !body.ReadUint32(&max) {
			return 0, false
		}
	}
	return max, true
}

// WithEarlyData returns a NewSessionTicket with an early_data extension
// allowing max bytes appended, or msg unchanged if it is not one.
func WithEarlyData(msg []byte, max uint32) []byte {
	head, exts, ok := ticketExtensions(msg)
	if !ok {
		return msg
	}
	var b cryptobyte.Builder
	b.AddUint8(msgNewSessionTicket)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(head)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(exts)
			b.AddUint16(extEarlyData)
			b.AddUint16(4)
			b.AddUint32(max)
		})
	})
	out, err := b.Bytes()
	if err != nil {
		return msg
	}
	return out
}
