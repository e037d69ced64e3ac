package checks

import (
	"crypto/x509"
	"fmt"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// SignatureWeak reports a leaf or intermediate signed with SHA-1 or MD5,
// hash functions with practical collision attacks that let an attacker
// obtain a CA signature on a certificate of their own.
var SignatureWeak = &scanner.Check{
	ID:       "signature-weak",
	Title:    "Certificate is signed with SHA-1 or MD5",
	Severity: scanner.High,
	Description: "A certificate the server sends (the leaf or an intermediate) is signed with " +
		"SHA-1 or MD5. Chosen-prefix collisions are practical for both (MD5 was used to forge a " +
		"CA certificate in 2008 and by the Flame malware; SHA-1 since 2020), so a signature " +
		"over one of them no longer proves the CA vouched for this certificate. Browsers and " +
		"Go, Android and iOS clients refuse such certificates, which is why the chain also fails " +
		"verification. MD5 is critical, SHA-1 high. A root's self-signature is not judged: " +
		"clients trust a root for being in their store, not for its signature.",
	Remediation: "Reissue the certificate from a CA that signs with SHA-256 or better " +
		"(sha256WithRSAEncryption, ecdsa-with-SHA256); replace a SHA-1 intermediate with the " +
		"CA's current one.",
	References: []string{
		"https://www.rfc-editor.org/rfc/rfc6194",
		"https://shattered.io/",
		"https://cabforum.org/working-groups/server/baseline-requirements/requirements/",
	},
	CWE:   328,
	Needs: scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		return judgeCerts(p, issuedCerts(p.Handshake().Chain), func(i int, c *x509.Certificate) (scanner.Finding, bool) {
			hash := certinfo.WeakHash(c.SignatureAlgorithm)
			if hash == "" {
				return scanner.Finding{}, false
			}
			// MD5 and MD2 collisions are cheap; SHA-1's cost a cluster.
			sev := scanner.High
			if hash != "SHA-1" {
				sev = scanner.Critical
			}
			ev := validityEvidence(c)
			ev["signature_algorithm"] = c.SignatureAlgorithm.String()
			ev["issuer"] = c.Issuer.String()
			return scanner.Finding{
				Severity: sev,
				Message:  fmt.Sprintf("%s is signed with %s", role(i, c), c.SignatureAlgorithm),
				Evidence: ev,
			}, true
		})
	},
}
