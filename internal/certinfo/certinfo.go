// Package certinfo summarises certificates for reports: the facts an
// auditor reads, in a form that marshals to stable JSON.
package certinfo

import (
	"bytes"
	"crypto/dsa" //nolint:staticcheck // DSA keys must still be recognised to be reported.
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// Summary is what reports show of one certificate.
type Summary struct {
	Subject            string    `json:"subject"`
	Issuer             string    `json:"issuer"`
	Serial             string    `json:"serial"`
	NotBefore          time.Time `json:"not_before"`
	NotAfter           time.Time `json:"not_after"`
	SHA256             string    `json:"sha256"`
	SPKISHA256         string    `json:"spki_sha256"`
	DNSNames           []string  `json:"dns_names,omitempty"`
	IPAddresses        []string  `json:"ip_addresses,omitempty"`
	KeyType            string    `json:"key_type"`
	KeyBits            int       `json:"key_bits,omitempty"`
	SignatureAlgorithm string    `json:"signature_algorithm"`
	IsCA               bool      `json:"is_ca"`
	// SelfSigned is true when the certificate names itself as its issuer
	// with its own key identifier (SelfIssued): a root, or a self-signed
	// leaf, even one whose SHA-1 self-signature crypto/x509 cannot check.
	SelfSigned bool `json:"self_signed"`
}

// Summarize describes c.
func Summarize(c *x509.Certificate) Summary {
	s := Summary{
		Subject:            c.Subject.String(),
		Issuer:             c.Issuer.String(),
		NotBefore:          c.NotBefore.UTC(),
		NotAfter:           c.NotAfter.UTC(),
		SHA256:             Fingerprint(c.Raw),
		SPKISHA256:         SPKIPin(c),
		DNSNames:           c.DNSNames,
		SignatureAlgorithm: c.SignatureAlgorithm.String(),
		IsCA:               c.IsCA,
		SelfSigned:         SelfIssued(c),
	}
	if c.SerialNumber != nil {
		s.Serial = hex.EncodeToString(c.SerialNumber.Bytes())
	}
	for _, ip := range c.IPAddresses {
		s.IPAddresses = append(s.IPAddresses, ip.String())
	}
	s.KeyType, s.KeyBits = KeyInfo(c)
	return s
}

// Fingerprint is the hex SHA-256 of a certificate's DER, as browsers and
// openssl show it. It takes the DER so that a certificate that does not
// parse has a fingerprint too.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// SPKIPin is the base64 SHA-256 of the certificate's SubjectPublicKeyInfo:
// the pin format of HPKP, OkHttp, Android network security config and most
// mobile pinning libraries.
func SPKIPin(c *x509.Certificate) string {
	sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// KeyInfo names the public key's algorithm and size in bits.
func KeyInfo(c *x509.Certificate) (string, int) {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		return "ECDSA", k.Curve.Params().BitSize
	case ed25519.PublicKey:
		return "Ed25519", 256
	case *dsa.PublicKey:
		return "DSA", k.P.BitLen()
	}
	return c.PublicKeyAlgorithm.String(), 0
}

// Issued reports whether parent's key signed child. It checks the
// signature, not just the names, so a same-named impostor does not count.
func Issued(parent, child *x509.Certificate) bool {
	return bytes.Equal(parent.RawSubject, child.RawIssuer) &&
		parent.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature) == nil
}
