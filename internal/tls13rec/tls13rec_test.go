package tls13rec

import (
	"bytes"
	"testing"

	"golang.org/x/crypto/cryptobyte"
)

func ticket(exts []byte) []byte {
	var b cryptobyte.Builder
	b.AddUint8(msgNewSessionTicket)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint32(7200)
		b.AddUint32(1)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte{0}) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte("ticket")) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(exts) })
	})
	return b.BytesOrPanic()
}

// TestEarlyDataExtension: a ticket without early_data allows 0 bytes,
// WithEarlyData adds the limit MaxEarlyData reads, and other messages or
// a truncated ticket are not tickets.
func TestEarlyDataExtension(t *testing.T) {
	plain := ticket([]byte{0xfa, 0xfa, 0, 0}) // a GREASE extension
	if max, ok := MaxEarlyData(plain); !ok || max != 0 {
		t.Fatalf("plain ticket: %d %v", max, ok)
	}
	with := WithEarlyData(plain, 16384)
	if max, ok := MaxEarlyData(with); !ok || max != 16384 {
		t.Fatalf("rewritten ticket: %d %v", max, ok)
	}
	if _, ok := MaxEarlyData(plain[:len(plain)-1]); ok {
		t.Error("truncated ticket read as a ticket")
	}
	if _, ok := MaxEarlyData([]byte{20, 0, 0, 0}); ok {
		t.Error("Finished read as a ticket")
	}
	if got := Messages(append(bytes.Clone(plain), with...)); len(got) != 2 {
		t.Errorf("Messages: %d, want 2", len(got))
	}
}

// TestSealOpen: records sealed under a secret open under the same secret
// in sequence, and not under another.
func TestSealOpen(t *testing.T) {
	secret := bytes.Repeat([]byte{1}, 32)
	for _, suite := range []uint16{0x1301, 0x1303} {
		seal, _ := NewProtector(suite, secret)
		open, _ := NewProtector(suite, secret)
		other, _ := NewProtector(suite, bytes.Repeat([]byte{2}, 32))
		for i := range 3 {
			rec := seal.Seal(TypeHandshake, []byte{byte(i)})
			if _, _, err := other.Open(rec); err == nil {
				t.Fatalf("suite %#x: opened under another secret", suite)
			}
			typ, content, err := open.Open(rec)
			if err != nil || typ != TypeHandshake || !bytes.Equal(content, []byte{byte(i)}) {
				t.Fatalf("suite %#x record %d: %v %d %x", suite, i, err, typ, content)
			}
		}
	}
	if _, err := NewProtector(0x1302, bytes.Repeat([]byte{1}, 48)); err != nil {
		t.Error(err)
	}
}
