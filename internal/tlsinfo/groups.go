package tlsinfo

import (
	"fmt"
)

// A named key-exchange group (RFC 8446 §4.2.7, RFC 8422 §5.1.1): an
// elliptic curve, a finite-field group (TLS 1.3 and RFC 7919) or a hybrid
// post-quantum group.
type groupInfo struct {
	id   uint16
	name string
	// legacy groups work with ECDHE suites in TLS 1.0-1.2.
	legacy bool
	// tls13 groups are allowed in TLS 1.3.
	tls13 bool
}

var groupTable = []groupInfo{
	{0x001D, "x25519", true, true},
	{0x0017, "secp256r1", true, true},
	{0x0018, "secp384r1", true, true},
	{0x0019, "secp521r1", true, true},
	{0x001E, "x448", true, true},
	{0x11EC, "X25519MLKEM768", false, true},
	{0x11EB, "SecP256r1MLKEM768", false, true},
	{0x11ED, "SecP384r1MLKEM1024", false, true},
	{0x0100, "ffdhe2048", false, true},
	{0x0101, "ffdhe3072", false, true},
	{0x0102, "ffdhe4096", false, true},
	{0x0103, "ffdhe6144", false, true},
	{0x0104, "ffdhe8192", false, true},
	{0x001A, "brainpoolP256r1", true, false},
	{0x001B, "brainpoolP384r1", true, false},
	{0x001C, "brainpoolP512r1", true, false},
	{0x001F, "brainpoolP256r1tls13", false, true},
	{0x0020, "brainpoolP384r1tls13", false, true},
	{0x0021, "brainpoolP512r1tls13", false, true},
	{0x0016, "secp256k1", true, false},
	{0x0015, "secp224r1", true, false},
	{0x0014, "secp224k1", true, false},
	{0x0013, "secp192r1", true, false},
	{0x0012, "secp192k1", true, false},
	{0x0011, "secp160r2", true, false},
	{0x0010, "secp160r1", true, false},
	{0x000F, "secp160k1", true, false},
	{0x000E, "sect571r1", true, false},
	{0x000D, "sect571k1", true, false},
	{0x000C, "sect409r1", true, false},
	{0x000B, "sect409k1", true, false},
	{0x000A, "sect283r1", true, false},
	{0x0009, "sect283k1", true, false},
	{0x0008, "sect239k1", true, false},
	{0x0007, "sect233r1", true, false},
	{0x0006, "sect233k1", true, false},
	{0x0005, "sect193r2", true, false},
	{0x0004, "sect193r1", true, false},
	{0x0003, "sect163r2", true, false},
	{0x0002, "sect163r1", true, false},
	{0x0001, "sect163k1", true, false},
}

// GroupName names a key-exchange group ID, as IANA does.
func GroupName(id uint16) string {
	for _, g := range groupTable {
		if g.id == id {
			return g.name
		}
	}
	return fmt.Sprintf("0x%04X", id)
}

// OfferGroups returns the groups to offer for version v, strongest and
// most common first.
func OfferGroups(v uint16) []uint16 {
	var ids []uint16
	for _, g := range groupTable {
		if v == VersionTLS13 && g.tls13 || v != VersionTLS13 && g.legacy {
			ids = append(ids, g.id)
		}
	}
	return ids
}
