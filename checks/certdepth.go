package checks

import (
	"crypto/x509"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
)

// The certificate-depth checks (keys, signatures, lifetime, SAN, chain
// shape, pins, revocation, zlint) share these helpers.

// issuedCerts yields the served certificates whose own properties a server
// operator answers for: the leaf and the intermediates, not a root the
// server sends along (a trust anchor's key and self-signature are judged by
// the trust store that holds it, not by clients of this server). A root
// is recognised by shape (certinfo.SelfIssued), so an old root's SHA-1
// self-signature, which crypto/x509 will not check, does not hide it.
func issuedCerts(chain []*x509.Certificate) func(yield func(int, *x509.Certificate) bool) {
	return func(yield func(int, *x509.Certificate) bool) {
		for i, c := range chain {
			if i > 0 && certinfo.SelfIssued(c) {
				continue
			}
			if !yield(i, c) {
				return
			}
		}
	}
}
