package enum

import (
	"slices"
	"testing"

	"golang.org/x/crypto/cryptobyte"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
)

// parsedHello is a ClientHello as a server sees it.
type parsedHello struct {
	recordVersion uint16
	version       uint16
	sessionID     []byte
	suites        []uint16
	extensions    map[uint16][]byte // nil when the hello has none
	extOrder      []uint16
	size          int
}

// parseClientHello parses the records marshal produced.
func parseClientHello(t *testing.T, rec []byte) parsedHello {
	t.Helper()
	var p parsedHello
	p.size = len(rec)
	var hs []byte
	for len(rec) > 0 {
		if len(rec) < 5 || rec[0] != recordHandshake {
			t.Fatalf("bad record header % x", rec[:min(5, len(rec))])
		}
		p.recordVersion = uint16(rec[1])<<8 | uint16(rec[2])
		n := int(rec[3])<<8 | int(rec[4])
		hs, rec = append(hs, rec[5:5+n]...), rec[5+n:]
	}
	s := cryptobyte.String(hs)
	var typ uint8
	var body, random, sid, suites, comp cryptobyte.String
	if !s.ReadUint8(&typ) || typ != msgClientHello || !s.ReadUint24LengthPrefixed(&body) || !s.Empty() {
		t.Fatal("bad handshake message")
	}
	if !body.ReadUint16(&p.version) || !body.ReadBytes((*[]byte)(&random), 32) ||
		!body.ReadUint8LengthPrefixed(&sid) || !body.ReadUint16LengthPrefixed(&suites) ||
		!body.ReadUint8LengthPrefixed(&comp) {
		t.Fatal("bad hello body")
	}
	p.sessionID = sid
	for !suites.Empty() {
		var id uint16
		suites.ReadUint16(&id)
		p.suites = append(p.suites, id)
	}
	if body.Empty() {
		return p
	}
	var exts cryptobyte.String
	if !body.ReadUint16LengthPrefixed(&exts) || !body.Empty() {
		t.Fatal("bad extensions block")
	}
	p.extensions = map[uint16][]byte{}
	for !exts.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
			t.Fatal("bad extension")
		}
		if _, dup := p.extensions[typ]; dup {
			t.Fatalf("extension %d twice", typ)
		}
		p.extensions[typ] = data
		p.extOrder = append(p.extOrder, typ)
	}
	return p
}

func TestHelloTLS12(t *testing.T) {
	suites := tlsinfo.OfferSuites(tlsinfo.VersionTLS12)
	raw, err := suiteHello(tlsinfo.VersionTLS12, suites, "api.example.test").Marshal()
	if err != nil {
		t.Fatal(err)
	}
	h := parseClientHello(t, raw)
	if h.recordVersion != tlsinfo.VersionTLS10 || h.version != tlsinfo.VersionTLS12 {
		t.Errorf("record version %04x, hello version %04x", h.recordVersion, h.version)
	}
	if !slices.Equal(h.suites, suites) {
		t.Error("offered suites differ from the spec")
	}
	if len(h.sessionID) != 0 {
		t.Error("session ID sent below TLS 1.3")
	}
	for _, ext := range []uint16{extServerName, extSupportedGroups, extPointFormats, extSignatureAlgorithms, extRenegotiationInfo} {
		if _, ok := h.extensions[ext]; !ok {
			t.Errorf("extension %d missing", ext)
		}
	}
	// A version is offered on its own: supported_versions would let a
	// TLS 1.3 server answer with 1.3.
	for _, ext := range []uint16{extSupportedVersions, extKeyShare} {
		if _, ok := h.extensions[ext]; ok {
			t.Errorf("extension %d sent in a TLS 1.2 hello", ext)
		}
	}
	sni := cryptobyte.String(h.extensions[extServerName])
	var list, name cryptobyte.String
	var typ uint8
	if !sni.ReadUint16LengthPrefixed(&list) || !list.ReadUint8(&typ) || !list.ReadUint16LengthPrefixed(&name) || string(name) != "api.example.test" {
		t.Errorf("bad server_name extension % x", h.extensions[extServerName])
	}
}

func TestHelloTLS13(t *testing.T) {
	for _, withShares := range []bool{true, false} {
		spec := Hello{Version: tlsinfo.VersionTLS13, Suites: tlsinfo.OfferSuites(tlsinfo.VersionTLS13),
			Groups: tlsinfo.OfferGroups(tlsinfo.VersionTLS13), KeyShares: withShares}
		raw, err := spec.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		h := parseClientHello(t, raw)
		if h.version != tlsinfo.VersionTLS12 || len(h.sessionID) != 32 {
			t.Errorf("legacy version %04x, session ID %d bytes; want 0303 and 32", h.version, len(h.sessionID))
		}
		if got := h.extensions[extSupportedVersions]; !slices.Equal(got, []byte{2, 3, 4}) {
			t.Errorf("supported_versions = % x, want TLS 1.3 alone", got)
		}
		if _, ok := h.extensions[extServerName]; ok {
			t.Error("server_name sent without a server name")
		}
		ks := cryptobyte.String(h.extensions[extKeyShare])
		var shares cryptobyte.String
		if !ks.ReadUint16LengthPrefixed(&shares) {
			t.Fatal("bad key_share")
		}
		var groups []uint16
		for !shares.Empty() {
			var g uint16
			var key cryptobyte.String
			if !shares.ReadUint16(&g) || !shares.ReadUint16LengthPrefixed(&key) {
				t.Fatal("bad key share entry")
			}
			groups = append(groups, g)
		}
		want := []uint16{0x001D, 0x0017}
		if !withShares {
			want = nil
		}
		if !slices.Equal(groups, want) {
			t.Errorf("keyShares=%v: shares for %04x, want %04x", withShares, groups, want)
		}
	}
}

func TestHelloSSL3(t *testing.T) {
	raw, err := suiteHello(tlsinfo.VersionSSL30, []uint16{0x000A, 0x0005}, "example.test").Marshal()
	if err != nil {
		t.Fatal(err)
	}
	h := parseClientHello(t, raw)
	if h.recordVersion != tlsinfo.VersionSSL30 || h.version != tlsinfo.VersionSSL30 {
		t.Errorf("record %04x hello %04x, want 0300 both", h.recordVersion, h.version)
	}
	if h.extensions != nil {
		t.Error("SSL 3.0 hello carries extensions")
	}
	if !slices.Equal(h.suites, []uint16{0x000A, 0x0005, 0x00FF}) {
		t.Errorf("suites %04x, want the offer plus the renegotiation SCSV", h.suites)
	}
}

// Hellos of 256-511 bytes hang some F5 load balancers; padding moves them
// past it.
func TestHelloPadding(t *testing.T) {
	for n := 1; n < 120; n++ {
		raw, err := suiteHello(tlsinfo.VersionTLS12, tlsinfo.OfferSuites(tlsinfo.VersionTLS12)[:n], "").Marshal()
		if err != nil {
			t.Fatal(err)
		}
		h := parseClientHello(t, raw)
		if h.size >= 256 && h.size < 512 {
			t.Fatalf("%d suites: hello is %d bytes", n, h.size)
		}
		if _, padded := h.extensions[extPadding]; padded && h.size != 512 {
			t.Errorf("%d suites: padded hello is %d bytes, want 512", n, h.size)
		}
	}
}
