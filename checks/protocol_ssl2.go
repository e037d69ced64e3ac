package checks

import (
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// ProtocolSSL2 reports a server that speaks SSL 2.0.
var ProtocolSSL2 = vulnCheck(scanner.Check{
	ID:       "protocol-ssl2",
	Title:    "Server accepts SSL 2.0 (DROWN)",
	Severity: scanner.Critical,
	Description: "SSL 2.0 (prohibited by RFC 6176) is broken in every part, and a server that " +
		"speaks it with an RSA key lets an attacker decrypt TLS sessions of every server that " +
		"shares the key (DROWN, CVE-2016-0800; CVE-2016-0703 on old OpenSSL). tlsaudit sends one " +
		"SSLv2 CLIENT-HELLO and reports only a genuine SSLv2 SERVER-HELLO; the evidence holds the " +
		"SHA-256 of its public key, to search for other servers using the same key.",
	Remediation: "Disable SSL 2.0 everywhere the key is used (OpenSSL 1.1.0 and later cannot " +
		"speak it), and replace the key if any server still speaks SSL 2.0 with it.",
	References: []string{cve("CVE-2016-0800"), cve("CVE-2016-0703"), "https://www.rfc-editor.org/rfc/rfc6176", "https://drownattack.com/"},
	CWE:        327,
}, func(o *vuln.Observation) vuln.Outcome { return o.SSL2 },
	func(o vuln.Outcome) string {
		return "server answered an SSLv2 hello with " + o.Evidence["ssl2_ciphers"] + " SSLv2 cipher(s) (DROWN, CVE-2016-0800)"
	})
