package certinfo

import (
	"bytes"
	"crypto/x509"
)

// Linked reports whether parent is child's issuer by name and key
// identifier, the way clients pick issuer candidates when they build paths.
// It checks no signature: a chain signed with an algorithm crypto/x509
// refuses (SHA-1) still has a shape, and following it costs no public-key
// operation, however many certificates a hostile server sends. Issued is
// the signature test, for when who signed matters.
func Linked(parent, child *x509.Certificate) bool {
	if !bytes.Equal(parent.RawSubject, child.RawIssuer) {
		return false
	}
	return len(child.AuthorityKeyId) == 0 || len(parent.SubjectKeyId) == 0 ||
		bytes.Equal(child.AuthorityKeyId, parent.SubjectKeyId)
}

// SelfIssued reports whether c names itself as its issuer with its own key
// identifier: a root, or a self-signed leaf, by shape (RFC 5280 §3.2,
// "self-issued"). Unlike a signature test it recognises an old root or a
// self-signed leaf whose SHA-1 self-signature crypto/x509 will not check.
func SelfIssued(c *x509.Certificate) bool { return Linked(c, c) }

// Path follows issuer links (Linked) from the leaf, served[0], through the
// served certificates in whatever order they came, each used once, and
// stops at a self-issued certificate or where no served certificate
// issued the last one. It is the chain as the server meant it; whether a
// client trusts it is crypto/x509's verification's answer.
func Path(served []*x509.Certificate) []*x509.Certificate {
	if len(served) == 0 {
		return nil
	}
	path := []*x509.Certificate{served[0]}
	used := make([]bool, len(served))
	used[0] = true
	for cur := served[0]; !SelfIssued(cur); {
		next := -1
		for i, c := range served {
			if !used[i] && Linked(c, cur) {
				next = i
				break
			}
		}
		if next < 0 {
			break
		}
		used[next] = true
		cur = served[next]
		path = append(path, cur)
	}
	return path
}

// WeakHash names the broken hash a signature algorithm uses ("MD2", "MD5",
// "SHA-1"), or "" for a current one. crypto/x509 refuses to verify all
// three, as browsers and mobile platforms do.
func WeakHash(a x509.SignatureAlgorithm) string {
	switch a {
	case x509.MD2WithRSA:
		return "MD2"
	case x509.MD5WithRSA:
		return "MD5"
	case x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1:
		return "SHA-1"
	}
	return ""
}
