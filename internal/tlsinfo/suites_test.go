package tlsinfo

import (
	"slices"
	"testing"
)

func TestSuiteClassification(t *testing.T) {
	type class struct {
		kex, auth                                                string
		null, export, anon, rc4, des, tdes, aead, cbc, fs, tls12 bool
	}
	cases := []struct {
		id   uint16
		want class
	}{
		{0x0000, class{kex: "NULL", auth: "anon", null: true, anon: true}},                     // TLS_NULL_WITH_NULL_NULL
		{0x0002, class{kex: "RSA", auth: "RSA", null: true}},                                   // TLS_RSA_WITH_NULL_SHA
		{0x003B, class{kex: "RSA", auth: "RSA", null: true, tls12: true}},                      // TLS_RSA_WITH_NULL_SHA256
		{0x0003, class{kex: "RSA", auth: "RSA", export: true, rc4: true}},                      // TLS_RSA_EXPORT_WITH_RC4_40_MD5
		{0x0014, class{kex: "DHE", auth: "RSA", export: true, des: true, cbc: true, fs: true}}, // TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA
		{0x0062, class{kex: "RSA", auth: "RSA", export: true, des: true, cbc: true}},           // TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA
		{0x0005, class{kex: "RSA", auth: "RSA", rc4: true}},                                    // TLS_RSA_WITH_RC4_128_SHA
		{0x0009, class{kex: "RSA", auth: "RSA", des: true, cbc: true}},                         // TLS_RSA_WITH_DES_CBC_SHA
		{0x000A, class{kex: "RSA", auth: "RSA", tdes: true, cbc: true}},                        // TLS_RSA_WITH_3DES_EDE_CBC_SHA
		{0xC012, class{kex: "ECDHE", auth: "RSA", tdes: true, cbc: true, fs: true}},            // TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA
		{0x0034, class{kex: "DHE", auth: "anon", anon: true, cbc: true, fs: true}},             // TLS_DH_anon_WITH_AES_128_CBC_SHA
		{0xC018, class{kex: "ECDHE", auth: "anon", anon: true, cbc: true, fs: true}},           // TLS_ECDH_anon_WITH_AES_128_CBC_SHA
		{0x0031, class{kex: "DH", auth: "RSA", cbc: true}},                                     // TLS_DH_RSA_WITH_AES_128_CBC_SHA
		{0xC004, class{kex: "ECDH", auth: "ECDSA", cbc: true}},                                 // TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA
		{0x009C, class{kex: "RSA", auth: "RSA", aead: true, tls12: true}},                      // TLS_RSA_WITH_AES_128_GCM_SHA256
		{0xC02B, class{kex: "ECDHE", auth: "ECDSA", aead: true, fs: true, tls12: true}},        // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
		{0xCCA8, class{kex: "ECDHE", auth: "RSA", aead: true, fs: true, tls12: true}},          // TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
		{0xC0AC, class{kex: "ECDHE", auth: "ECDSA", aead: true, fs: true, tls12: true}},        // TLS_ECDHE_ECDSA_WITH_AES_128_CCM
		{0x009E, class{kex: "DHE", auth: "RSA", aead: true, fs: true, tls12: true}},            // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
		{0x1301, class{kex: "TLS13", auth: "TLS13", aead: true, fs: true}},                     // TLS_AES_128_GCM_SHA256
		{0x1305, class{kex: "TLS13", auth: "TLS13", aead: true, fs: true}},                     // TLS_AES_128_CCM_8_SHA256
		{0x008C, class{kex: "PSK", auth: "PSK", cbc: true}},                                    // TLS_PSK_WITH_AES_128_CBC_SHA
		{0xC035, class{kex: "ECDHE_PSK", auth: "PSK", cbc: true, fs: true}},                    // TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA
	}
	for _, c := range cases {
		s := Suite(c.id)
		got := class{s.Kex, s.Auth, s.NullCipher(), s.Export(), s.Anonymous(), s.RC4(), s.DES(), s.TripleDES(),
			s.AEAD(), s.CBC(), s.ForwardSecret(), s.TLS12Only}
		if got != c.want {
			t.Errorf("%s (0x%04X):\n got %+v\nwant %+v", s.Name, c.id, got, c.want)
		}
	}
}

func TestCandidateSuites(t *testing.T) {
	legacy := OfferSuites(VersionTLS12)
	for _, bad := range []uint16{0x00FF, 0x5600, 0x1301} { // SCSVs never; TLS 1.3 suites not below 1.3
		if slices.Contains(legacy, bad) {
			t.Errorf("TLS 1.2 candidates include 0x%04X", bad)
		}
	}
	if len(legacy) < 300 {
		t.Errorf("only %d TLS 1.2 candidate suites; want the whole IANA registry", len(legacy))
	}
	if first := Suite(legacy[0]); !first.AEAD() || !first.ForwardSecret() {
		t.Errorf("first offered suite is %s, want a forward-secret AEAD suite", first.Name)
	}
	if last := Suite(legacy[len(legacy)-1]); !last.Critical() {
		t.Errorf("last offered suite is %s, want a NULL/anon/export one", last.Name)
	}
	if got := OfferSuites(VersionTLS13); !slices.Equal(got, []uint16{0x1301, 0x1302, 0x1303, 0x1304, 0x1305}) {
		t.Errorf("TLS 1.3 candidates = %04X", got)
	}
}

// TestSuiteRank: one ranking serves the offer order and the checks'
// grading, and puts forward secrecy before AEAD, as browsers do (the
// offer order and cipher-weak-preferred used to disagree on this).
func TestSuiteRank(t *testing.T) {
	const ecdheCBC, rsaGCM, rsaCBC, ecdheGCM = 0xC013, 0x009C, 0x002F, 0xC02F
	order := []uint16{ecdheGCM, ecdheCBC, rsaGCM, rsaCBC, 0x000A /* 3DES */, 0x0005 /* RC4 */, 0x0003 /* export */}
	for i := 1; i < len(order); i++ {
		a, b := Suite(order[i-1]), Suite(order[i])
		if a.Rank() > b.Rank() {
			t.Errorf("%s ranks %d, after %s (%d)", a.Name, a.Rank(), b.Name, b.Rank())
		}
	}
	if Suite(ecdheCBC).Rank() >= Suite(rsaGCM).Rank() {
		t.Errorf("ECDHE-CBC ranks %d, not before RSA-GCM (%d)", Suite(ecdheCBC).Rank(), Suite(rsaGCM).Rank())
	}
	offered := OfferSuites(VersionTLS12)
	pos := func(id uint16) int { return slices.Index(offered, id) }
	for i := 1; i < len(order); i++ {
		if pos(order[i-1]) > pos(order[i]) {
			t.Errorf("0x%04X offered after 0x%04X", order[i-1], order[i])
		}
	}
	// Callers own what they get: changing it leaves the next call alone.
	offered[0] = 0
	if OfferSuites(VersionTLS12)[0] == 0 {
		t.Error("OfferSuites hands out its cached list")
	}
}
