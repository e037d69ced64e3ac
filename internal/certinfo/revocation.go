package certinfo

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/ocsp"
)

// IssuerOf returns the certificate among candidates whose key signed c, or
// nil when none did.
func IssuerOf(c *x509.Certificate, candidates []*x509.Certificate) *x509.Certificate {
	for _, p := range candidates {
		if p != c && Issued(p, c) {
			return p
		}
	}
	return nil
}

// OCSP is what an OCSP response says about one certificate.
type OCSP struct {
	// Status is "good", "revoked" or "unknown"; empty when the response
	// could not be read at all (Error says why).
	Status           string    `json:"status,omitempty"`
	ProducedAt       time.Time `json:"produced_at,omitzero"`
	ThisUpdate       time.Time `json:"this_update,omitzero"`
	NextUpdate       time.Time `json:"next_update,omitzero"`
	RevokedAt        time.Time `json:"revoked_at,omitzero"`
	RevocationReason string    `json:"revocation_reason,omitempty"`
	// SignatureVerified is true when the response is signed by the
	// leaf's issuer (or a responder it delegated to) and is about the leaf.
	SignatureVerified bool `json:"signature_verified"`
	// Error says why the response could not be read or verified.
	Error string `json:"error,omitempty"`
}

// Expired reports whether the response is past its nextUpdate at now: a
// client must not rely on it any more.
func (o OCSP) Expired(now time.Time) bool {
	return !o.NextUpdate.IsZero() && now.After(o.NextUpdate)
}

// ParseOCSP reads a DER OCSP response about leaf. With the issuer, the
// signature and the serial number are verified; a response that fails
// verification is still read, unverified, so that what it claims is
// reported, with Error saying why it cannot be trusted.
func ParseOCSP(der []byte, leaf, issuer *x509.Certificate) OCSP {
	var out OCSP
	var r *ocsp.Response
	var err error
	if issuer != nil {
		if r, err = ocsp.ParseResponseForCert(der, leaf, issuer); err == nil {
			out.SignatureVerified = true
			// x/crypto/ocsp checks that the CA signed a delegated responder's
			// certificate, not that the CA allowed it to sign OCSP answers
			// (RFC 6960 section 4.2.2.2): without that, any certificate
			// of the same CA could vouch for itself.
			if rc := r.Certificate; rc != nil && !bytes.Equal(rc.Raw, issuer.Raw) && !slices.Contains(rc.ExtKeyUsage, x509.ExtKeyUsageOCSPSigning) {
				out.SignatureVerified = false
				out.Error = "the responder certificate is not authorised to sign OCSP responses (no OCSPSigning key usage)"
			}
		} else {
			out.Error = fmt.Sprintf("cannot verify the response: %v", err)
		}
	} else {
		out.Error = "the leaf's issuer is unknown, so the response's signature is not verified"
	}
	if r == nil {
		var rerr error
		if r, rerr = ocsp.ParseResponse(der, nil); rerr != nil {
			var re ocsp.ResponseError
			if errors.As(rerr, &re) {
				out.Error = fmt.Sprintf("the responder answered %q instead of a status", re.Status.String())
			} else {
				out.Error = fmt.Sprintf("not an OCSP response: %v", rerr)
			}
			return out
		}
		if leaf != nil && leaf.SerialNumber != nil && r.SerialNumber != nil && r.SerialNumber.Cmp(leaf.SerialNumber) != 0 {
			out.Error = "the response is about another certificate (serial number differs)"
		}
	}
	out.ProducedAt = r.ProducedAt.UTC()
	out.ThisUpdate = r.ThisUpdate.UTC()
	if !r.NextUpdate.IsZero() {
		out.NextUpdate = r.NextUpdate.UTC()
	}
	switch r.Status {
	case ocsp.Good:
		out.Status = "good"
	case ocsp.Revoked:
		out.Status = "revoked"
		out.RevokedAt = r.RevokedAt.UTC()
		out.RevocationReason = RevocationReason(r.RevocationReason)
	default:
		out.Status = "unknown"
	}
	return out
}

// reasonNames are the RFC 5280 CRLReason names.
var reasonNames = map[int]string{
	ocsp.Unspecified:          "unspecified",
	ocsp.KeyCompromise:        "keyCompromise",
	ocsp.CACompromise:         "cACompromise",
	ocsp.AffiliationChanged:   "affiliationChanged",
	ocsp.Superseded:           "superseded",
	ocsp.CessationOfOperation: "cessationOfOperation",
	ocsp.CertificateHold:      "certificateHold",
	ocsp.RemoveFromCRL:        "removeFromCRL",
	ocsp.PrivilegeWithdrawn:   "privilegeWithdrawn",
	ocsp.AACompromise:         "aACompromise",
}

// RevocationReason names an RFC 5280 CRLReason.
func RevocationReason(code int) string {
	if n, ok := reasonNames[code]; ok {
		return n
	}
	return fmt.Sprintf("reason %d", code)
}

// oidSCTList is the certificate extension holding embedded signed
// certificate timestamps (RFC 6962, section 3.3).
var oidSCTList = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}

// EmbeddedSCTs counts the signed certificate timestamps embedded in c:
// the proofs that it was logged to Certificate Transparency, which
// browsers require of public certificates. A malformed list counts as 0.
func EmbeddedSCTs(c *x509.Certificate) int {
	for _, ext := range c.Extensions {
		if !ext.Id.Equal(oidSCTList) {
			continue
		}
		var list []byte
		if _, err := asn1.Unmarshal(ext.Value, &list); err != nil {
			return 0
		}
		return countSCTs(list)
	}
	return 0
}

// countSCTs counts the entries of a TLS-encoded SignedCertificateTimestampList.
func countSCTs(b []byte) int {
	s := cryptobyte.String(b)
	var list cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&list) || !s.Empty() {
		return 0
	}
	n := 0
	for !list.Empty() {
		var sct cryptobyte.String
		if !list.ReadUint16LengthPrefixed(&sct) {
			return 0
		}
		n++
	}
	return n
}
