// Package tlsinfo is the catalog of TLS protocol versions, cipher suites
// and key-exchange groups: their names, how each suite exchanges keys and
// protects records, and how strong that is. The enumeration offers from
// it, the checks grade with it and the reports name with it; it does no
// I/O.
package tlsinfo

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// SuiteInfo describes a cipher suite by what its IANA name says: how keys
// are exchanged, how the server is authenticated, and how records are
// protected. Checks classify accepted suites with it.
type SuiteInfo struct {
	ID   uint16
	Name string
	// Kex is the key exchange: "RSA", "DH", "DHE", "ECDH", "ECDHE",
	// "PSK", "DHE_PSK", "ECDHE_PSK", "RSA_PSK", "SRP", "KRB5", "GOST",
	// "NULL", or "TLS13" (negotiated separately in TLS 1.3).
	Kex string
	// Auth is how the server proves who it is: "RSA", "DSS", "ECDSA",
	// "PSK", "anon", ... ("TLS13" for TLS 1.3 suites).
	Auth string
	// Cipher is the bulk cipher and mode, e.g. "AES_128_GCM", "3DES_EDE_CBC",
	// "RC4_128", "NULL".
	Cipher string
	// TLS13 is set for the suites only TLS 1.3 uses.
	TLS13 bool
	// TLS12Only is set for suites TLS 1.2 introduced (AEAD, SHA-256/384
	// MACs), which older versions cannot negotiate.
	TLS12Only bool
}

// Export reports a deliberately weakened 1990s US-export suite (40- or
// 56-bit keys, 512-bit RSA or DH): FREAK and Logjam.
func (s SuiteInfo) Export() bool {
	return strings.Contains(s.Name, "EXPORT") || strings.Contains(s.Cipher, "_40")
}

// Anonymous reports a suite whose server is not authenticated at all, so
// anyone in the path can impersonate it.
func (s SuiteInfo) Anonymous() bool { return s.Auth == "anon" }

// NullCipher reports a suite that does not encrypt.
func (s SuiteInfo) NullCipher() bool {
	return s.Cipher == "NULL" || strings.HasPrefix(s.Cipher, "NULL_")
}

// RC4 reports an RC4 stream-cipher suite (RFC 7465 prohibits them).
func (s SuiteInfo) RC4() bool { return strings.HasPrefix(s.Cipher, "RC4") }

// DES reports a single-DES suite (56-bit key, or 40 for export).
func (s SuiteInfo) DES() bool {
	return strings.HasPrefix(s.Cipher, "DES_") || strings.HasPrefix(s.Cipher, "DES40")
}

// TripleDES reports a 3DES suite: a 64-bit block, so SWEET32 applies.
func (s SuiteInfo) TripleDES() bool { return strings.HasPrefix(s.Cipher, "3DES") }

// AEAD reports an authenticated-encryption suite (GCM, CCM,
// ChaCha20-Poly1305, and every TLS 1.3 suite).
func (s SuiteInfo) AEAD() bool {
	return s.TLS13 || strings.Contains(s.Cipher, "GCM") || strings.Contains(s.Cipher, "CCM") ||
		strings.Contains(s.Cipher, "POLY1305")
}

// CBC reports a block cipher in CBC mode with a separate MAC (Lucky13,
// POODLE-TLS and their kin).
func (s SuiteInfo) CBC() bool { return strings.Contains(s.Cipher, "CBC") }

// ForwardSecret reports a key exchange with ephemeral keys, so a later
// leak of the server's private key does not decrypt recorded traffic.
func (s SuiteInfo) ForwardSecret() bool {
	switch s.Kex {
	case "DHE", "ECDHE", "DHE_PSK", "ECDHE_PSK", "SRP", "TLS13":
		return true
	}
	return false
}

// FiniteFieldDH reports an ephemeral finite-field DH key exchange, whose
// parameters the server sends in ServerKeyExchange.
func (s SuiteInfo) FiniteFieldDH() bool {
	return s.Kex == "DHE" && (s.Auth == "RSA" || s.Auth == "DSS" || s.Auth == "anon")
}

// EllipticDH reports an ephemeral elliptic-curve DH key exchange, whose
// curve the server names in ServerKeyExchange.
func (s SuiteInfo) EllipticDH() bool {
	return s.Kex == "ECDHE" && (s.Auth == "RSA" || s.Auth == "ECDSA" || s.Auth == "anon")
}

// Suite describes a cipher suite ID. Unknown IDs get a hex name and empty
// classification.
func Suite(id uint16) SuiteInfo {
	if s, ok := suiteTable()[id]; ok {
		return s
	}
	return SuiteInfo{ID: id, Name: fmt.Sprintf("0x%04X", id)}
}

// tls13Suites are named here because zcrypto's table lacks the CCM ones.
var tls13Suites = map[uint16]string{
	0x1301: "TLS_AES_128_GCM_SHA256",
	0x1302: "TLS_AES_256_GCM_SHA384",
	0x1303: "TLS_CHACHA20_POLY1305_SHA256",
	0x1304: "TLS_AES_128_CCM_SHA256",
	0x1305: "TLS_AES_128_CCM_8_SHA256",
}

// suiteTable is every IANA suite ianaName knows, classified once.
var suiteTable = sync.OnceValue(func() map[uint16]SuiteInfo {
	m := map[uint16]SuiteInfo{}
	for id := range 1 << 16 {
		name := ianaName(uint16(id))
		if info, ok := parseSuiteName(uint16(id), name); ok {
			m[uint16(id)] = info
		}
	}
	for id, name := range tls13Suites {
		m[id] = SuiteInfo{ID: id, Name: name, Kex: "TLS13", Auth: "TLS13",
			Cipher: strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(name, "TLS_"), "_SHA256"), "_SHA384"), TLS13: true}
	}
	return m
})

// parseSuiteName classifies a name of the form TLS_<kex>_WITH_<cipher>_<mac>.
// Signalling values (SCSVs) and vendor codes are not suites and are left
// out: offering TLS_FALLBACK_SCSV would make servers refuse lower versions.
func parseSuiteName(id uint16, name string) (SuiteInfo, bool) {
	if !strings.HasPrefix(name, "TLS_") || strings.Contains(name, "SCSV") {
		return SuiteInfo{}, false
	}
	kex, rest, ok := strings.Cut(strings.TrimPrefix(name, "TLS_"), "_WITH_")
	if !ok {
		return SuiteInfo{}, false
	}
	s := SuiteInfo{ID: id, Name: name}
	kexNoExport := strings.NewReplacer("_EXPORT1024", "", "_EXPORT", "").Replace(kex)
	switch kexNoExport {
	case "NULL":
		s.Kex, s.Auth = "NULL", "anon"
	case "RSA":
		s.Kex, s.Auth = "RSA", "RSA"
	case "DH_RSA", "DH_DSS":
		s.Kex, s.Auth = "DH", strings.TrimPrefix(kexNoExport, "DH_")
	case "DHE_RSA", "DHE_DSS":
		s.Kex, s.Auth = "DHE", strings.TrimPrefix(kexNoExport, "DHE_")
	case "DH_ANON":
		s.Kex, s.Auth = "DHE", "anon"
	case "ECDH_RSA", "ECDH_ECDSA":
		s.Kex, s.Auth = "ECDH", strings.TrimPrefix(kexNoExport, "ECDH_")
	case "ECDHE_RSA", "ECDHE_ECDSA":
		s.Kex, s.Auth = "ECDHE", strings.TrimPrefix(kexNoExport, "ECDHE_")
	case "ECDH_ANON":
		s.Kex, s.Auth = "ECDHE", "anon"
	case "PSK", "RSA_PSK":
		s.Kex, s.Auth = kexNoExport, "PSK"
	case "DHE_PSK", "PSK_DHE":
		s.Kex, s.Auth = "DHE_PSK", "PSK"
	case "ECDHE_PSK":
		s.Kex, s.Auth = "ECDHE_PSK", "PSK"
	case "SRP_SHA", "SRP_SHA_RSA", "SRP_SHA_DSS":
		s.Kex, s.Auth = "SRP", cmp.Or(strings.TrimPrefix(strings.TrimPrefix(kexNoExport, "SRP_SHA"), "_"), "SRP")
	case "KRB5":
		s.Kex, s.Auth = "KRB5", "KRB5"
	case "GOSTR341094", "GOSTR341001":
		s.Kex, s.Auth = "GOST", "GOST"
	default:
		s.Kex, s.Auth = kexNoExport, kexNoExport
	}
	s.Cipher = cipherPart(rest)
	s.TLS12Only = s.AEAD() || strings.HasSuffix(rest, "_SHA256") || strings.HasSuffix(rest, "_SHA384")
	return s, true
}

// cipherPart drops the MAC from "<cipher>_<mac>". AEAD suites name a PRF
// hash (or nothing, for CCM) in the MAC's place.
func cipherPart(rest string) string {
	rest = strings.TrimSuffix(rest, "_OLD")
	for _, mac := range []string{"_SHA", "_SHA256", "_SHA384", "_MD5", "_NULL", "_GOSTR3411", "_IMIT"} {
		if c, ok := strings.CutSuffix(rest, mac); ok {
			return c
		}
	}
	return rest
}

// OfferSuites returns the suites to offer for version v, in a
// browser-like order (see offerOrder), so that a server honouring the
// client's order picks what a real client would. The caller owns the
// slice.
func OfferSuites(v uint16) []uint16 {
	lists := candidateLists()
	if v == VersionTLS13 {
		return slices.Clone(lists.tls13)
	}
	return slices.Clone(lists.legacy)
}

// candidateLists sorts the suite table once: the TLS 1.3 suites, and the
// others.
var candidateLists = sync.OnceValue(func() (lists struct{ tls13, legacy []uint16 }) {
	for id, s := range suiteTable() {
		if s.TLS13 {
			lists.tls13 = append(lists.tls13, id)
		} else {
			lists.legacy = append(lists.legacy, id)
		}
	}
	slices.SortFunc(lists.tls13, offerOrder)
	slices.SortFunc(lists.legacy, offerOrder)
	return lists
})

// offerOrder orders suites for offering: by Rank (forward secrecy before
// AEAD, as browsers order them), then AEAD before CBC before anything
// else within a rank, AES-GCM before ChaCha20 and CCM as on a client with
// AES hardware, then by ID.
func offerOrder(a, b uint16) int {
	sa, sb := Suite(a), Suite(b)
	return cmp.Or(cmp.Compare(sa.Rank(), sb.Rank()), cmp.Compare(sa.mode(), sb.mode()), cmp.Compare(a, b))
}

// mode orders record protections within a rank: AES-GCM 0, other AEAD 1,
// CBC 2, anything else 3.
func (s SuiteInfo) mode() int {
	switch {
	case s.AEAD() && !strings.Contains(s.Cipher, "POLY1305") && !strings.Contains(s.Cipher, "CCM"):
		return 0
	case s.AEAD():
		return 1
	case s.CBC():
		return 2
	}
	return 3
}

// Critical reports a suite in a class no configuration may offer: no
// encryption (NULL), no authentication (anonymous), or export grade.
func (s SuiteInfo) Critical() bool { return s.NullCipher() || s.Anonymous() || s.Export() }

// Rank grades a suite's strength, 0 best: 0 forward-secret AEAD, 1
// forward-secret CBC (or other non-AEAD), 2 no forward secrecy, 3 3DES,
// 4 RC4 or single DES, 5 Critical. Forward secrecy outranks AEAD, as in
// browsers' offers and Mozilla's cipher orders: ECDHE-CBC before RSA-GCM.
// The enumeration's offer order and the checks' grading both use it.
func (s SuiteInfo) Rank() int {
	switch {
	case s.Critical():
		return 5
	case s.RC4(), s.DES():
		return 4
	case s.TripleDES():
		return 3
	case !s.ForwardSecret():
		return 2
	case !s.AEAD():
		return 1
	}
	return 0
}

// Protocol versions, including SSL 3.0 which crypto/tls has no constant
// for.
const (
	VersionSSL30 uint16 = 0x0300
	VersionTLS10 uint16 = 0x0301
	VersionTLS11 uint16 = 0x0302
	VersionTLS12 uint16 = 0x0303
	VersionTLS13 uint16 = 0x0304
)

// Versions are the versions enumeration tries, oldest first.
var Versions = []uint16{VersionSSL30, VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13}

// VersionName is "SSL 3.0", "TLS 1.0" ... "TLS 1.3".
func VersionName(v uint16) string {
	switch v {
	case VersionSSL30:
		return "SSL 3.0"
	case VersionTLS10:
		return "TLS 1.0"
	case VersionTLS11:
		return "TLS 1.1"
	case VersionTLS12:
		return "TLS 1.2"
	case VersionTLS13:
		return "TLS 1.3"
	}
	return fmt.Sprintf("0x%04X", v)
}

// Weaknesses labels what is wrong with a suite, worst first, in stable
// words reports can match on: "null", "anonymous", "export", "rc4",
// "des", "3des", "no-forward-secrecy", "cbc". Empty for a forward-secret
// AEAD suite.
func (s SuiteInfo) Weaknesses() []string {
	var w []string
	for _, c := range []struct {
		label string
		is    bool
	}{
		{"null", s.NullCipher()},
		{"anonymous", s.Anonymous()},
		{"export", s.Export()},
		{"rc4", s.RC4()},
		{"des", s.DES()},
		{"3des", s.TripleDES()},
		{"no-forward-secrecy", !s.ForwardSecret() && !s.Anonymous()},
		{"cbc", s.CBC()},
	} {
		if c.is {
			w = append(w, c.label)
		}
	}
	return w
}
