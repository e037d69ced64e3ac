package vuln

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"io"
	"strconv"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// ssl2CipherSpecs are the SSLv2 cipher kinds offered (3 bytes each): every
// SSLv2 cipher, so any SSLv2 server has one to answer with.
var ssl2CipherSpecs = []byte{
	0x05, 0x00, 0x80, 0x03, 0x00, 0x80, 0x01, 0x00, 0x80, 0x07, 0x00, 0xc0,
	0x08, 0x00, 0x80, 0x06, 0x00, 0x40, 0x04, 0x00, 0x80, 0x02, 0x00, 0x80,
	0x06, 0x01, 0x40, 0x07, 0x01, 0xc0,
}

// ssl2Hello is an SSLv2 CLIENT-HELLO (2-byte record header, version 0002,
// the cipher specs above, no session ID, a 16-byte challenge).
func ssl2Hello() []byte {
	challenge := make([]byte, 16)
	_, _ = rand.Read(challenge)
	var b cryptobyte.Builder
	b.AddUint8(1)       // CLIENT-HELLO
	b.AddUint16(0x0002) // SSL 2.0
	b.AddUint16(uint16(len(ssl2CipherSpecs)))
	b.AddUint16(0) // session ID length
	b.AddUint16(uint16(len(challenge)))
	b.AddBytes(ssl2CipherSpecs)
	b.AddBytes(challenge)
	body := b.BytesOrPanic()
	return append([]byte{0x80 | byte(len(body)>>8), byte(len(body))}, body...)
}

// ssl2 sends an SSLv2 CLIENT-HELLO and reports SSLv2 only on a genuine
// SERVER-HELLO (message 4, version 0002). TLS servers answer with a TLS
// alert or close. It returns the SHA-256 of the SERVER-HELLO
// certificate's public key, for the shared-key (DROWN) check. One
// connection.
func (p *prober) ssl2(ctx context.Context) (Outcome, string) {
	c, err := p.dial(ctx)
	if err != nil {
		return outcome(Undecided, err.Error()), ""
	}
	defer c.Close()
	if _, err := c.Write(ssl2Hello()); err != nil {
		return outcome(NotVulnerable, "the server closed the connection at an SSLv2 hello"), ""
	}
	_ = c.SetReadDeadline(time.Now().Add(p.cfg.quietWait()))
	hdr := make([]byte, 2)
	if _, err := io.ReadFull(c, hdr); err != nil {
		return outcome(NotVulnerable, "no SSLv2 answer (the connection was closed or stayed silent)"), ""
	}
	if hdr[0]&0x80 == 0 {
		return outcome(NotVulnerable, "the server answered an SSLv2 hello with a TLS record"), ""
	}
	n := int(hdr[0]&0x7f)<<8 | int(hdr[1])
	body := make([]byte, n)
	if _, err := io.ReadFull(c, body); err != nil || n < 11 {
		return outcome(NotVulnerable, "no complete SSLv2 SERVER-HELLO"), ""
	}
	// SERVER-HELLO: type, session-id-hit, certificate type, version,
	// certificate length, cipher-specs length, connection-id length.
	s := cryptobyte.String(body)
	var typ, hit, certType uint8
	var version, certLen, specsLen, idLen uint16
	var cert []byte
	if !s.ReadUint8(&typ) || typ != 4 || !s.ReadUint8(&hit) || !s.ReadUint8(&certType) ||
		!s.ReadUint16(&version) || version != 0x0002 || !s.ReadUint16(&certLen) ||
		!s.ReadUint16(&specsLen) || !s.ReadUint16(&idLen) || !s.ReadBytes(&cert, int(certLen)) {
		return outcome(NotVulnerable, "the answer to an SSLv2 hello is no SSLv2 SERVER-HELLO"), ""
	}
	ciphers := int(specsLen) / 3
	keyHash := ""
	if parsed, err := x509.ParseCertificate(cert); err == nil {
		sum := sha256.Sum256(parsed.RawSubjectPublicKeyInfo)
		keyHash = hex.EncodeToString(sum[:])
	}
	o := outcome(Vulnerable, "the server answered an SSLv2 hello with an SSLv2 SERVER-HELLO offering "+strconv.Itoa(ciphers)+" cipher(s)",
		"ssl2_ciphers", strconv.Itoa(ciphers))
	if keyHash != "" {
		o.Evidence["key_sha256"] = keyHash
	}
	return o, keyHash
}
