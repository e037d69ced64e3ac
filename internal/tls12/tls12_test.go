package tls12

import (
	"bytes"
	"net"
	"testing"
)

// TestEncryptedChangeCipherSpec: in a renegotiation the ChangeCipherSpec
// is encrypted under the keys in force, and must be read back as such.
func TestEncryptedChangeCipherSpec(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	key, iv := bytes.Repeat([]byte{7}, 16), []byte{1, 2, 3, 4}
	w, r := New(a), New(b)
	if err := w.SetWriteKey(key, iv); err != nil {
		t.Fatal(err)
	}
	if err := r.SetReadKey(key, iv); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = w.WriteHandshake(16, []byte{1, 2, 3})
		_ = w.WriteRecord(RecordCCS, []byte{1})
	}()
	if typ, body, err := r.ReadHandshake(); err != nil || typ != 16 || !bytes.Equal(body, []byte{1, 2, 3}) {
		t.Fatalf("handshake: %d %x %v", typ, body, err)
	}
	if err := r.ReadCCS(); err != nil {
		t.Fatalf("encrypted ChangeCipherSpec: %v", err)
	}
}

// TestPRFAgainstFinished: the client's and server's Finished differ and
// are 12 bytes, and the PRF is deterministic (its correctness against
// real implementations is what the lab's handshakes with crypto/tls,
// zcrypto and OpenSSL show).
func TestPRFAgainstFinished(t *testing.T) {
	ms := bytes.Repeat([]byte{9}, 48)
	c, s := FinishedData(ms, true, []byte("x")), FinishedData(ms, false, []byte("x"))
	if len(c) != 12 || bytes.Equal(c, s) || !bytes.Equal(c, FinishedData(ms, true, []byte("x"))) {
		t.Fatalf("client %x server %x", c, s)
	}
}
