package checks

import (
	"bytes"
	"crypto/x509"
)

// The certificate-depth checks (keys, signatures, lifetime, SAN, chain
// shape, pins, revocation, zlint) share these helpers.

// issuedCerts yields the served certificates whose own properties a server
// operator answers for: the leaf and the intermediates, not a root the
// server sends along (a trust anchor's key and self-signature are judged by
// the trust store that holds it, not by clients of this server). A root
// is recognised by shape (selfIssued), so an old root's SHA-1
// self-signature, which crypto/x509 will not check, does not hide it.
func issuedCerts(chain []*x509.Certificate) func(yield func(int, *x509.Certificate) bool) {
	return func(yield func(int, *x509.Certificate) bool) {
		for i, c := range chain {
			if i > 0 && selfIssued(c) {
				continue
			}
			if !yield(i, c) {
				return
			}
		}
	}
}

// linked reports whether parent is child's issuer by name and key
// identifier, the way clients build paths. Unlike certinfo.Issued it does
// not check the signature, so a chain signed with an algorithm
// crypto/x509 refuses (SHA-1) still has a shape.
func linked(parent, child *x509.Certificate) bool {
	if !bytes.Equal(parent.RawSubject, child.RawIssuer) {
		return false
	}
	return len(child.AuthorityKeyId) == 0 || len(parent.SubjectKeyId) == 0 ||
		bytes.Equal(child.AuthorityKeyId, parent.SubjectKeyId)
}

// selfIssued reports whether c names itself as issuer with its own key
// identifier: a root, by shape.
func selfIssued(c *x509.Certificate) bool { return linked(c, c) }
