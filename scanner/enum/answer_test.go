package enum

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"reflect"
	"testing"

	"golang.org/x/crypto/cryptobyte"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// helloRetryRandom is the ServerHello.random of a HelloRetryRequest
// (RFC 8446 §4.1.3): SHA-256 of "HelloRetryRequest".
var helloRetryRandom = sha256.Sum256([]byte("HelloRetryRequest"))

// serverHelloMsg builds a ServerHello handshake message (with header).
func serverHelloMsg(version, suite uint16, random []byte, exts ...[]byte) []byte {
	if random == nil {
		random = make([]byte, 32)
	}
	var b cryptobyte.Builder
	b.AddUint8(msgServerHello)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16(version)
		b.AddBytes(random)
		b.AddUint8(0)
		b.AddUint16(suite)
		b.AddUint8(0)
		if exts != nil {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				for _, e := range exts {
					b.AddBytes(e)
				}
			})
		}
	})
	return b.BytesOrPanic()
}

func ext(typ uint16, data ...byte) []byte {
	return append([]byte{byte(typ >> 8), byte(typ), byte(len(data) >> 8), byte(len(data))}, data...)
}

func handshakeMsg(typ uint8, body []byte) []byte {
	return append([]byte{typ, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}, body...)
}

func record(typ uint8, payload []byte) []byte {
	return append([]byte{typ, 3, 3, byte(len(payload) >> 8), byte(len(payload))}, payload...)
}

func TestParseServerHello(t *testing.T) {
	cases := []struct {
		name string
		msg  []byte
		want ServerHello
	}{
		{"TLS 1.2 without extensions", serverHelloMsg(tlsinfo.VersionTLS12, 0xC02F, nil), ServerHello{Version: tlsinfo.VersionTLS12, Suite: 0xC02F}},
		{"SSL 3.0", serverHelloMsg(tlsinfo.VersionSSL30, 0x000A, nil), ServerHello{Version: tlsinfo.VersionSSL30, Suite: 0x000A}},
		{"TLS 1.3 ServerHello", serverHelloMsg(tlsinfo.VersionTLS12, 0x1301, nil,
			ext(extSupportedVersions, 3, 4), ext(extKeyShare, 0x00, 0x1D, 0, 2, 0xAA, 0xBB)),
			ServerHello{Version: tlsinfo.VersionTLS13, Suite: 0x1301, Group: 0x001D, Extensions: []uint16{extSupportedVersions, extKeyShare}}},
		{"TLS 1.3 HelloRetryRequest", serverHelloMsg(tlsinfo.VersionTLS12, 0x1302, helloRetryRandom[:],
			ext(extSupportedVersions, 3, 4), ext(extKeyShare, 0x00, 0x18)),
			ServerHello{Version: tlsinfo.VersionTLS13, Suite: 0x1302, Group: 0x0018, Extensions: []uint16{extSupportedVersions, extKeyShare}}},
		{"other extensions listed", serverHelloMsg(tlsinfo.VersionTLS12, 0x009C, nil, ext(0xff01, 0), ext(23)),
			ServerHello{Version: tlsinfo.VersionTLS12, Suite: 0x009C, Extensions: []uint16{0xff01, 23}}},
	}
	for _, c := range cases {
		got, err := ParseServerHello(c.msg[4:])
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(*got, c.want) {
			t.Errorf("%s: got %+v, want %+v", c.name, *got, c.want)
		}
	}
	good := serverHelloMsg(tlsinfo.VersionTLS12, 0x1301, nil, ext(extSupportedVersions, 3, 4))[4:]
	for n := range len(good) {
		if n == 38 { // version, random, session ID, suite, compression: a complete extension-less hello
			continue
		}
		if _, err := ParseServerHello(good[:n]); !errors.Is(err, errMalformed) {
			t.Errorf("truncated to %d bytes: err = %v, want malformed", n, err)
		}
	}
}

func TestParseServerKeyExchange(t *testing.T) {
	p := bytes.Repeat([]byte{0xff}, 128)
	dhe := append(append([]byte{0, 128}, p...), 0, 1, 2, 0, 1, 5)
	kx, err := ParseServerKeyExchange(dhe, tlsinfo.Suite(0x0033)) // TLS_DHE_RSA_WITH_AES_128_CBC_SHA
	if err != nil || kx.DHBits != 1024 {
		t.Errorf("DHE: %+v, %v; want 1024 bits", kx, err)
	}
	dhe[2] = 0x01 // leading zero bits of the prime do not count
	if kx, _ := ParseServerKeyExchange(dhe, tlsinfo.Suite(0x0033)); kx.DHBits != 1017 {
		t.Errorf("DHE with small top byte: %d bits, want 1017", kx.DHBits)
	}
	ecdhe := []byte{3, 0x00, 0x17, 65}
	kx, err = ParseServerKeyExchange(ecdhe, tlsinfo.Suite(0xC02F)) // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	if err != nil || kx.Curve != 0x0017 {
		t.Errorf("ECDHE: %+v, %v; want secp256r1", kx, err)
	}
	if _, err := ParseServerKeyExchange([]byte{1, 0, 0}, tlsinfo.Suite(0xC02F)); !errors.Is(err, errMalformed) {
		t.Errorf("explicit curve: err = %v, want malformed", err)
	}
	if _, err := ParseServerKeyExchange([]byte{0, 9, 1}, tlsinfo.Suite(0x0033)); !errors.Is(err, errMalformed) {
		t.Errorf("short DH prime: err = %v, want malformed", err)
	}
}

func wantAllKex(*ServerHello) bool { return true }

func TestReadAnswer(t *testing.T) {
	cert := handshakeMsg(msgCertificate, bytes.Repeat([]byte{7}, 3000))
	ske := handshakeMsg(msgServerKeyExchange, append(append([]byte{1, 0}, bytes.Repeat([]byte{0xC0}, 256)...), 0, 1, 2))
	done := handshakeMsg(msgServerHelloDone, nil)
	sh := serverHelloMsg(tlsinfo.VersionTLS12, 0x009E, nil) // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
	flight := bytes.Join([][]byte{sh, cert, ske, done}, nil)

	t.Run("DHE flight split across records", func(t *testing.T) {
		var in []byte
		for len(flight) > 0 { // 1000-byte records cut messages in the middle
			n := min(1000, len(flight))
			in, flight = append(in, record(recordHandshake, flight[:n])...), flight[n:]
		}
		ans, err := ReadAnswer(bytes.NewReader(in), wantAllKex)
		if err != nil || ans.Hello == nil || ans.Hello.Suite != 0x009E || ans.Kex.DHBits != 2048 {
			t.Fatalf("answer %+v, %v; want DHE suite with 2048 bits", ans, err)
		}
	})
	t.Run("stops at ServerHello when no key exchange is wanted", func(t *testing.T) {
		// Only the ServerHello is there; reading further would block.
		ans, err := ReadAnswer(io.MultiReader(bytes.NewReader(record(recordHandshake, sh)), blockingReader{}),
			func(*ServerHello) bool { return false })
		if err != nil || ans.Hello == nil || ans.Kex.DHBits != 0 {
			t.Fatalf("answer %+v, %v", ans, err)
		}
	})
	t.Run("fatal alert", func(t *testing.T) {
		ans, err := ReadAnswer(bytes.NewReader(record(recordAlert, []byte{2, 40})), wantAllKex)
		if err != nil || ans.Hello != nil || ans.Alert != 40 {
			t.Fatalf("answer %+v, %v; want handshake_failure", ans, err)
		}
	})
	t.Run("warning alert is skipped", func(t *testing.T) {
		in := append(record(recordAlert, []byte{1, 112}), record(recordHandshake, sh)...)
		ans, err := ReadAnswer(bytes.NewReader(in), func(*ServerHello) bool { return false })
		if err != nil || ans.Hello == nil {
			t.Fatalf("answer %+v, %v; want the ServerHello after the warning", ans, err)
		}
	})
	t.Run("hang-up after ServerHello keeps the ServerHello", func(t *testing.T) {
		ans, err := ReadAnswer(bytes.NewReader(record(recordHandshake, sh)), wantAllKex)
		if err != nil || ans.Hello == nil {
			t.Fatalf("answer %+v, %v", ans, err)
		}
	})
	t.Run("hang-up before ServerHello", func(t *testing.T) {
		if _, err := ReadAnswer(bytes.NewReader(nil), wantAllKex); !errors.Is(err, io.EOF) {
			t.Fatalf("err = %v, want EOF", err)
		}
	})
	t.Run("plaintext HTTP", func(t *testing.T) {
		_, err := ReadAnswer(bytes.NewReader([]byte("HTTP/1.1 400 Bad Request\r\n\r\n")), wantAllKex)
		var se *netx.ScanError
		if !errors.As(err, &se) || se.Kind != netx.KindNotTLS {
			t.Fatalf("err = %v, want not-tls", err)
		}
	})
	t.Run("other handshake message first", func(t *testing.T) {
		if _, err := ReadAnswer(bytes.NewReader(record(recordHandshake, cert)), wantAllKex); !errors.Is(err, errMalformed) {
			t.Fatalf("err = %v, want malformed", err)
		}
	})
	t.Run("endless flight is cut off", func(t *testing.T) {
		big := handshakeMsg(msgServerHello, make([]byte, 1<<20))
		var in []byte
		for len(big) > 0 {
			n := min(maxRecordPayload, len(big))
			in, big = append(in, record(recordHandshake, big[:n])...), big[n:]
		}
		if _, err := ReadAnswer(bytes.NewReader(in), wantAllKex); !errors.Is(err, errMalformed) {
			t.Fatalf("err = %v, want malformed", err)
		}
	})
}

// blockingReader fails the test's expectations loudly instead of blocking.
type blockingReader struct{}

func (blockingReader) Read([]byte) (int, error) { return 0, errors.New("read past the ServerHello") }

// FuzzParseServerHello feeds arbitrary bytes to the ServerHello parser and
// to the record reader: servers are untrusted, and neither may panic or
// accept a hello it cannot account for.
func FuzzParseServerHello(f *testing.F) {
	f.Add(serverHelloMsg(tlsinfo.VersionTLS12, 0xC02F, nil)[4:])
	f.Add(serverHelloMsg(tlsinfo.VersionTLS12, 0x1301, nil, ext(extSupportedVersions, 3, 4), ext(extKeyShare, 0, 0x1D, 0, 1, 9))[4:])
	f.Add(serverHelloMsg(tlsinfo.VersionTLS12, 0x1302, helloRetryRandom[:], ext(extKeyShare, 0, 0x18))[4:])
	f.Add(record(recordHandshake, serverHelloMsg(tlsinfo.VersionTLS10, 0x0033, nil)))
	f.Add(record(recordAlert, []byte{2, 70}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if h, err := ParseServerHello(data); err == nil && len(data) < 38 {
			t.Fatalf("accepted a %d-byte ServerHello: %+v", len(data), h)
		}
		ans, err := ReadAnswer(bytes.NewReader(data), wantAllKex)
		if err == nil && ans.Hello == nil && ans.Alert < 0 {
			t.Fatal("no error, no hello, no alert")
		}
	})
}
