package checks

import (
	"crypto/x509"
	"fmt"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// KeyWeak reports a leaf or intermediate whose public key is too small to
// resist factoring or discrete-log attacks, or of an algorithm (DSA)
// clients no longer accept.
var KeyWeak = &scanner.Check{
	ID:       "key-weak",
	Title:    "Certificate has a weak public key",
	Severity: scanner.High,
	Description: "A certificate the server sends (the leaf or an intermediate) has an RSA key " +
		"shorter than 2048 bits, a DSA key, or an elliptic-curve key smaller than 256 bits. " +
		"RSA-1024 is within reach of well-funded attackers, the CA/Browser Forum has required " +
		"2048 bits since 2014, and current browsers and Go, Android and iOS clients refuse " +
		"shorter keys; RSA keys under 1024 bits are critical, as they can be factored cheaply. " +
		"A root the server sends along is not judged: its strength is its trust store's concern.",
	Remediation: "Generate a new key (ECDSA P-256, or RSA 2048 or 3072 bits) and reissue the " +
		"certificate; a weak intermediate means moving to a CA hierarchy with strong keys.",
	References: []string{
		"https://cabforum.org/working-groups/server/baseline-requirements/requirements/",
		"https://csrc.nist.gov/pubs/sp/800/131/a/r2/final",
		"https://wiki.mozilla.org/Security/Server_Side_TLS",
	},
	CWE:   326,
	Needs: scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		return judgeCerts(p, issuedCerts(p.Handshake().Chain), func(i int, c *x509.Certificate) (scanner.Finding, bool) {
			kind, bits := certinfo.KeyInfo(c)
			weak, sev := false, scanner.High
			switch kind {
			case "RSA":
				weak = bits < 2048
				if bits < 1024 {
					sev = scanner.Critical
				}
			case "DSA":
				weak = true
			case "ECDSA":
				weak = bits < 256
			}
			if !weak {
				return scanner.Finding{}, false
			}
			ev := validityEvidence(c)
			ev["key_type"], ev["key_bits"] = kind, fmt.Sprint(bits)
			return scanner.Finding{
				Severity: sev,
				Message:  fmt.Sprintf("%s has a %d-bit %s key", role(i, c), bits, kind),
				Evidence: ev,
			}, true
		})
	},
}
