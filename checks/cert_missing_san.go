package checks

import (
	"fmt"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// CertMissingSAN reports a leaf that names its host only in the subject
// CN. hostname-mismatch reports the consequence (clients refuse it); this
// check names the cause, and also fires when a client that still reads the
// CN would accept the name.
var CertMissingSAN = &scanner.Check{
	ID:       "cert-missing-san",
	Title:    "Certificate has no subjectAltName",
	Severity: scanner.Medium,
	Description: "The leaf certificate has no DNS or IP subjectAltName: its host appears only " +
		"in the subject common name. RFC 6125 and the CA/Browser Forum require names in the " +
		"SAN, and current browsers and Go (since 1.15), Android and iOS clients ignore the CN, " +
		"so they refuse the certificate whatever name it holds (see hostname-mismatch). Older " +
		"clients that still read the CN mask the problem until they are upgraded.",
	Remediation: "Reissue the certificate with every name clients use in the subjectAltName " +
		"extension (a certificate request made with `openssl req -addext " +
		"\"subjectAltName=DNS:api.example.com\"`, or any ACME client, does this).",
	References: []string{
		"https://www.rfc-editor.org/rfc/rfc6125#section-6.4.4",
		"https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.6",
		"https://cabforum.org/working-groups/server/baseline-requirements/requirements/",
	},
	CWE:   297,
	Needs: scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		leaf, err := parsedLeaf(p.Handshake())
		if err != nil || len(leaf.DNSNames) > 0 || len(leaf.IPAddresses) > 0 {
			return err
		}
		msg := "the leaf certificate has no subjectAltName and no subject CN"
		if cn := leaf.Subject.CommonName; cn != "" {
			msg = fmt.Sprintf("the leaf certificate names %q only in its subject CN, which clients ignore", cn)
		}
		ev := validityEvidence(leaf)
		ev["subject_cn"] = leaf.Subject.CommonName
		p.Report(scanner.Finding{Message: msg, Evidence: ev})
		return nil
	},
}
