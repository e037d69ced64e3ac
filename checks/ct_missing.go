package checks

import (
	"crypto/x509/pkix"
	"encoding/asn1"

	"golang.org/x/crypto/ocsp"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// The three places a Signed Certificate Timestamp can reach a client
// (RFC 6962 section 3.3): the certificate's own extension, the TLS
// signed_certificate_timestamp extension (Handshake.SCTs), and a
// single-response extension of the stapled OCSP response.
var (
	oidEmbeddedSCTs = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}
	oidOCSPSCTs     = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 5}
)

// CTMissing reports a publicly trusted certificate that comes with no SCT.
var CTMissing = &scanner.Check{
	ID:       "ct-missing",
	Title:    "Publicly trusted certificate carries no Certificate Transparency proof",
	Severity: scanner.Low,
	Description: "The chain verifies to a public root (the system trust store), yet no Signed " +
		"Certificate Timestamp reached the client: none embedded in the certificate, none in " +
		"the TLS signed_certificate_timestamp extension the shared handshake asks for, none " +
		"in the stapled OCSP response. Chrome, Safari and Edge refuse publicly trusted " +
		"certificates without SCTs, so browsers fail while curl and most API clients connect. " +
		"Certificates verified against a target's own `ca` (a private CA) are exempt: CT " +
		"applies to public CAs only. No extra connection is made.",
	Remediation: "Get the certificate from a CA that logs to Certificate Transparency and " +
		"embeds the SCTs (every public CA does by default, Let's Encrypt included); reissue a " +
		"certificate issued without them, or serve SCTs through the TLS extension or the " +
		"OCSP staple.",
	References: []string{
		"https://www.rfc-editor.org/rfc/rfc6962#section-3.3",
		"https://googlechrome.github.io/CertificateTransparency/ct_policy.html",
		"https://support.apple.com/en-us/103214",
	},
	CWE:   295,
	Needs: scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		h := p.Handshake()
		leaf := h.Leaf()
		if leaf == nil || !publiclyTrusted(p) {
			return nil
		}
		if len(h.SCTs) > 0 || hasExtension(leaf.Extensions, oidEmbeddedSCTs) || stapleHasSCTs(h.OCSPStaple) {
			return nil
		}
		p.Report(scanner.Finding{
			Message: "certificate from a public CA with no SCT (embedded, TLS extension or OCSP staple)",
			Evidence: map[string]string{
				"subject": leaf.Subject.String(),
				"issuer":  leaf.Issuer.String(),
				"sha256":  fingerprint(leaf),
				"anchor":  h.Trust.Anchor,
			},
		})
		return nil
	},
}

// publiclyTrusted reports whether the chain verified against public roots:
// the system trust store, or roots the target marks as standing for a
// public CA.
func publiclyTrusted(p *scanner.Pass) bool {
	t := p.Handshake().Trust
	return t.Status == handshake.TrustOK && (t.Roots == "system" || p.Target != nil && p.Target.PublicRoots)
}

func hasExtension(exts []pkix.Extension, oid asn1.ObjectIdentifier) bool {
	for _, e := range exts {
		if e.Id.Equal(oid) {
			return true
		}
	}
	return false
}

// stapleHasSCTs reports whether the stapled OCSP response carries the SCT
// list extension. The response's signature is ocsp-staple's concern; an
// unparsable staple carries nothing.
func stapleHasSCTs(der []byte) bool {
	if len(der) == 0 {
		return false
	}
	r, err := ocsp.ParseResponse(der, nil)
	if err != nil {
		return false
	}
	return hasExtension(r.Extensions, oidOCSPSCTs)
}
