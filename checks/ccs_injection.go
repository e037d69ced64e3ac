package checks

import (
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// CCSInjection reports a server that accepts a ChangeCipherSpec before
// the key exchange.
var CCSInjection = vulnCheck(scanner.Check{
	ID:       "ccs-injection",
	Title:    "Server accepts an early ChangeCipherSpec (CCS injection)",
	Severity: scanner.High,
	Description: "CCS injection (CVE-2014-0224): OpenSSL before 0.9.8za, 1.0.0m and 1.0.1h accepts " +
		"a ChangeCipherSpec before the key exchange and then encrypts with keys derived from an " +
		"empty master secret, which an attacker in the path can compute, read and change. " +
		"tlsaudit sends one ChangeCipherSpec record right after the server's first flight; a " +
		"patched server rejects it at once (unexpected_message). Only when the server stays " +
		"silent is a second one sent: a vulnerable server then fails to decrypt it.",
	Remediation: "Upgrade OpenSSL (or the appliance firmware embedding it) to a release from " +
		"after June 2014.",
	References: []string{cve("CVE-2014-0224"), "https://www.openssl.org/news/secadv/20140605.txt"},
	CWE:        325,
}, func(o *vuln.Observation) vuln.Outcome { return o.CCSInjection },
	func(vuln.Outcome) string {
		return "server accepted a ChangeCipherSpec before the key exchange (CCS injection, CVE-2014-0224)"
	})
