// Package tls12 is the smallest TLS 1.2 that can renegotiate: records
// with AES-128-GCM, the SHA-256 PRF, the master secret (with or without
// RFC 7627), Finished, and handshake message framing. crypto/tls and
// zcrypto cannot start a renegotiation as a client nor accept one as a
// server, so the renegotiation probe (scanner/vuln) and the lab server
// that accepts client-initiated renegotiation share this. It negotiates
// one suite family, ECDHE with AES-128-GCM-SHA256, and verifies no
// certificate: a probe wants to know what a server does, not to trust it.
package tls12

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
)

// Record types and the suites spoken.
const (
	RecordCCS       = 20
	RecordAlert     = 21
	RecordHandshake = 22
	RecordAppData   = 23

	SuiteECDHERSA   = 0xC02F // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	SuiteECDHEECDSA = 0xC02B // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256

	Version = 0x0303

	maxRecord    = 1 << 14
	maxHandshake = 256 << 10
)

// An AlertError is an alert the peer sent.
type AlertError struct{ Level, Desc uint8 }

func (e *AlertError) Error() string {
	if e.Level == 1 {
		return fmt.Sprintf("warning alert %d", e.Desc)
	}
	return fmt.Sprintf("fatal alert %d", e.Desc)
}

// ErrUnexpectedRecord is a record of a type the caller did not expect
// (application data in the middle of a handshake, a ChangeCipherSpec
// where a handshake message belongs).
var ErrUnexpectedRecord = errors.New("unexpected record")

// A Conn is a TLS 1.2 record layer over a net.Conn.
type Conn struct {
	c       net.Conn
	in, out halfConn
	hs      []byte // handshake bytes received but not yet returned
	// Transcript collects the handshake messages of the current handshake
	// (both directions) for Finished and the extended master secret.
	Transcript []byte
}

type halfConn struct {
	aead cipher.AEAD
	iv   []byte
	seq  uint64
}

// New wraps c.
func New(c net.Conn) *Conn { return &Conn{c: c} }

// NetConn is the underlying connection.
func (c *Conn) NetConn() net.Conn { return c.c }

// SetWriteKey and SetReadKey switch a direction to AES-128-GCM with key
// and the 4-byte implicit IV, at sequence number 0 (after a
// ChangeCipherSpec).
func (c *Conn) SetWriteKey(key, iv []byte) error { return c.out.set(key, iv) }
func (c *Conn) SetReadKey(key, iv []byte) error  { return c.in.set(key, iv) }

func (h *halfConn) set(key, iv []byte) error {
	block, err := aes.NewCipher(key)
	if err != nil {
		return err
	}
	h.aead, err = cipher.NewGCM(block)
	h.iv, h.seq = iv, 0
	return err
}

func (h *halfConn) nonceAAD(typ byte, n int) ([]byte, []byte) {
	explicit := binary.BigEndian.AppendUint64(nil, h.seq)
	aad := append(append([]byte{}, explicit...), typ, Version>>8, Version&0xff, byte(n>>8), byte(n))
	return append(append([]byte{}, h.iv...), explicit...), aad
}

// WriteRecord writes payload as records of typ, encrypted once a write
// key is set.
func (c *Conn) WriteRecord(typ byte, payload []byte) error {
	var out []byte
	for len(payload) > 0 || out == nil {
		n := min(len(payload), maxRecord)
		frag := payload[:n]
		payload = payload[n:]
		if c.out.aead != nil {
			nonce, aad := c.out.nonceAAD(typ, len(frag))
			frag = append(nonce[4:], c.out.aead.Seal(nil, nonce, frag, aad)...)
			c.out.seq++
		}
		out = append(out, typ, Version>>8, Version&0xff, byte(len(frag)>>8), byte(len(frag)))
		out = append(out, frag...)
	}
	_, err := c.c.Write(out)
	return err
}

// ReadRecord reads one record and decrypts it once a read key is set.
// Alerts are returned as *AlertError.
func (c *Conn) ReadRecord() (byte, []byte, error) {
	hdr := make([]byte, 5)
	if _, err := io.ReadFull(c.c, hdr); err != nil {
		return 0, nil, err
	}
	if hdr[1] != 3 || hdr[0] < RecordCCS || hdr[0] > 24 {
		return 0, nil, fmt.Errorf("not a TLS record (first bytes %x)", hdr[:3])
	}
	n := int(hdr[3])<<8 | int(hdr[4])
	if n > maxRecord+2048 {
		return 0, nil, fmt.Errorf("record of %d bytes", n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(c.c, payload); err != nil {
		return 0, nil, err
	}
	typ := hdr[0]
	// Every record type is encrypted once a key is set: in a
	// renegotiation the ChangeCipherSpec travels under the old keys.
	if c.in.aead != nil {
		if len(payload) < 8+16 {
			return 0, nil, errors.New("short encrypted record")
		}
		nonce, aad := c.in.nonceAAD(typ, len(payload)-8-16)
		copy(nonce[4:], payload[:8])
		pt, err := c.in.aead.Open(nil, nonce, payload[8:], aad)
		if err != nil {
			return 0, nil, errors.New("record failed to decrypt")
		}
		c.in.seq++
		payload = pt
	}
	if typ == RecordAlert {
		if len(payload) < 2 {
			return 0, nil, errors.New("short alert")
		}
		return typ, payload, &AlertError{payload[0], payload[1]}
	}
	return typ, payload, nil
}

// WriteHandshake frames and writes one handshake message, adding it to
// the transcript.
func (c *Conn) WriteHandshake(typ byte, body []byte) error {
	msg := append([]byte{typ, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}, body...)
	c.Transcript = append(c.Transcript, msg...)
	return c.WriteRecord(RecordHandshake, msg)
}

// ReadHandshake returns the next handshake message (type and body),
// adding it to the transcript. A record of another type is
// ErrUnexpectedRecord, an alert *AlertError.
func (c *Conn) ReadHandshake() (byte, []byte, error) {
	for len(c.hs) < 4 || len(c.hs) < 4+(int(c.hs[1])<<16|int(c.hs[2])<<8|int(c.hs[3])) {
		typ, payload, err := c.ReadRecord()
		if err != nil {
			return 0, nil, err
		}
		if typ != RecordHandshake {
			return 0, nil, fmt.Errorf("%w: type %d during the handshake", ErrUnexpectedRecord, typ)
		}
		if c.hs = append(c.hs, payload...); len(c.hs) > maxHandshake {
			return 0, nil, errors.New("handshake message too long")
		}
	}
	n := 4 + (int(c.hs[1])<<16 | int(c.hs[2])<<8 | int(c.hs[3]))
	msg := c.hs[:n:n]
	c.hs = c.hs[n:]
	c.Transcript = append(c.Transcript, msg...)
	return msg[0], msg[4:], nil
}

// ReadCCS expects a ChangeCipherSpec record next.
func (c *Conn) ReadCCS() error {
	if len(c.hs) > 0 {
		return fmt.Errorf("%w: ChangeCipherSpec inside a handshake message", ErrUnexpectedRecord)
	}
	typ, payload, err := c.ReadRecord()
	if err != nil {
		return err
	}
	if typ != RecordCCS || len(payload) != 1 || payload[0] != 1 {
		return fmt.Errorf("%w: type %d where ChangeCipherSpec belongs", ErrUnexpectedRecord, typ)
	}
	return nil
}

// PRF is the TLS 1.2 PRF with SHA-256 (RFC 5246 §5).
func PRF(secret []byte, label string, seed []byte, n int) []byte {
	seed = append([]byte(label), seed...)
	out := make([]byte, 0, n+sha256.Size)
	a := seed
	for len(out) < n {
		m := hmac.New(sha256.New, secret)
		m.Write(a)
		a = m.Sum(nil)
		m = hmac.New(sha256.New, secret)
		m.Write(a)
		m.Write(seed)
		out = m.Sum(out)
	}
	return out[:n]
}

// MasterSecret derives the master secret: with ems, from the hash of the
// transcript through ClientKeyExchange (RFC 7627); else from the randoms.
func MasterSecret(pms, clientRandom, serverRandom, transcript []byte, ems bool) []byte {
	if ems {
		h := sha256.Sum256(transcript)
		return PRF(pms, "extended master secret", h[:], 48)
	}
	return PRF(pms, "master secret", append(append([]byte{}, clientRandom...), serverRandom...), 48)
}

// Keys are the AES-128-GCM keys and implicit IVs of both directions.
type Keys struct{ ClientKey, ServerKey, ClientIV, ServerIV []byte }

// KeyBlock expands the master secret into the keys.
func KeyBlock(master, clientRandom, serverRandom []byte) Keys {
	kb := PRF(master, "key expansion", append(append([]byte{}, serverRandom...), clientRandom...), 16+16+4+4)
	return Keys{ClientKey: kb[0:16], ServerKey: kb[16:32], ClientIV: kb[32:36], ServerIV: kb[36:40]}
}

// FinishedData is the verify_data of a Finished over the transcript.
func FinishedData(master []byte, client bool, transcript []byte) []byte {
	label := "server finished"
	if client {
		label = "client finished"
	}
	h := sha256.Sum256(transcript)
	return PRF(master, label, h[:], 12)
}
