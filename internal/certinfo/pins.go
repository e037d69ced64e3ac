package certinfo

import (
	"crypto/x509"
	"strings"
)

// NormalizePin turns a pin as apps write it ("sha256/BASE64", or bare
// BASE64) into SPKIPin form. ok is false for other hash algorithms
// ("sha1/…"), which SPKIPin cannot be compared with.
func NormalizePin(pin string) (string, bool) {
	pin = strings.TrimSpace(pin)
	alg, value, found := strings.Cut(pin, "/")
	if !found {
		return pin, pin != ""
	}
	if !strings.EqualFold(alg, "sha256") || value == "" {
		return "", false
	}
	return value, true
}

// ChainMatchesPins reports whether a served chain satisfies a pin set the
// way pinning clients decide: some certificate in the chain has one of the
// pinned keys (spki, in SPKIPin form), or has a pinned certificate's key,
// or was issued by a pinned certificate (a pinned root is usually not
// served, yet it anchors the chain).
func ChainMatchesPins(chain []*x509.Certificate, spki []string, certs []*x509.Certificate) bool {
	want := make(map[string]bool, len(spki)+len(certs))
	for _, p := range spki {
		want[p] = true
	}
	for _, c := range certs {
		want[SPKIPin(c)] = true
	}
	for _, c := range chain {
		if want[SPKIPin(c)] {
			return true
		}
		for _, anchor := range certs {
			if Issued(anchor, c) {
				return true
			}
		}
	}
	return false
}
