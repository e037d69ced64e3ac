package checks

import (
	"strings"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// DROWNSharedKey reports an endpoint whose certificate key an SSLv2
// endpoint of the same scan also uses.
var DROWNSharedKey = &scanner.Check{
	ID:       "drown-shared-key",
	Title:    "Certificate key is also used by an SSLv2 server (DROWN)",
	Severity: scanner.High,
	Description: "DROWN (CVE-2016-0800): an attacker who records TLS sessions with this server " +
		"decrypts them by sending a few thousand crafted SSLv2 handshakes to another server " +
		"that speaks SSLv2 with the same RSA key; this server need not speak SSLv2 itself. " +
		"tlsaudit compares the SHA-256 of this certificate's SubjectPublicKeyInfo with the key " +
		"of every SSLv2 SERVER-HELLO (protocol-ssl2's probe) of the same scan, so it sends " +
		"nothing extra; it finds the sharing only among the targets of one scan, and only " +
		"where the SSLv2 server had finished its TLS handshake when this target's checks " +
		"ran (a target waits for the SSLv2 probe of the servers in flight with its key): " +
		"list SSLv2-capable servers first, and scan again if in doubt.",
	Remediation: "Turn SSLv2 off on the other server (the finding's evidence names it) — " +
		"OpenSSL 1.0.2g and later never speak it — or give this server a new key pair " +
		"used nowhere else, and revoke the certificate of the shared key.",
	References: []string{cve("CVE-2016-0800"), "https://drownattack.com/drown-attack-paper.pdf"},
	CWE:        323,
	Needs:      scanner.NeedHandshake | scanner.NeedEnumeration | scanner.NeedVulnerabilities,
	Run: func(p *scanner.Pass) error {
		shared := p.Result.SSLv2SharedKey
		leaf := p.Handshake().Leaf()
		if len(shared) == 0 || leaf == nil {
			return nil
		}
		p.Report(scanner.Finding{
			Message: "the certificate's key is also used by SSLv2 endpoint " + strings.Join(shared, ", ") + " (DROWN, CVE-2016-0800)",
			Evidence: map[string]string{
				"ssl2_endpoints": strings.Join(shared, " "),
				"sha256":         fingerprint(leaf),
			},
		})
		return nil
	},
}
