package checks

import (
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// ROBOT reports an RSA padding oracle in the server's key exchange.
var ROBOT = vulnCheck(scanner.Check{
	ID:       "robot",
	Title:    "Server's RSA key exchange is a padding oracle (ROBOT)",
	Severity: scanner.High,
	Description: "ROBOT (Return Of Bleichenbacher's Oracle Threat, CVE-2017-13099 and its family: " +
		"CVE-2017-13098, CVE-2017-1000385, CVE-2017-17382, CVE-2017-17427, CVE-2017-17428, " +
		"CVE-2017-6168, CVE-2016-6883, CVE-2012-5081): a server whose answer to an RSA " +
		"ClientKeyExchange depends on the padding of the decrypted premaster secret lets an " +
		"attacker decrypt recorded sessions and sign with the server's key. Probed only when " +
		"the server accepts an RSA key-exchange suite: five connections, each sending one " +
		"ClientKeyExchange (a valid PKCS#1 v1.5 block, three with broken padding and one " +
		"with a wrong version, the published method), a ChangeCipherSpec and a bogus " +
		"Finished; different answers are confirmed by a second round of five before they count.",
	Remediation: "Disable RSA key-exchange suites (keep ECDHE ones; OpenSSL `!kRSA`), and update " +
		"the TLS stack or load balancer firmware named in the vendor advisories.",
	References: []string{cve("CVE-2017-13099"), "https://robotattack.org/", "https://www.rfc-editor.org/rfc/rfc5246#section-7.4.7.1"},
	CWE:        203,
}, func(o *vuln.Observation) vuln.Outcome { return o.ROBOT },
	func(o vuln.Outcome) string {
		return "server answers malformed RSA premaster secrets differently, a " + o.Evidence["oracle"] + " Bleichenbacher oracle (ROBOT)"
	})
