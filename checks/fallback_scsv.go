package checks

import (
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// FallbackSCSVMissing reports a server that ignores TLS_FALLBACK_SCSV.
var FallbackSCSVMissing = vulnCheck(scanner.Check{
	ID:       "fallback-scsv-missing",
	Title:    "Server ignores TLS_FALLBACK_SCSV (downgrade protection)",
	Severity: scanner.Medium,
	Description: "Clients that retry a failed handshake with a lower version mark the retry " +
		"with TLS_FALLBACK_SCSV (RFC 7507); a server that speaks a higher version must then " +
		"refuse, or an attacker who breaks the first handshakes downgrades the client to the " +
		"weakest version both share (the route POODLE took to SSL 3.0). Tested only on servers " +
		"with two versions or more: tlsaudit offers the second-newest with the SCSV in one hello.",
	Remediation: "Upgrade the TLS library (OpenSSL 1.0.1j and later, every current library, " +
		"honour the SCSV), and disable versions older than TLS 1.2.",
	References: []string{"https://www.rfc-editor.org/rfc/rfc7507", cve("CVE-2014-3566")},
	CWE:        757,
}, func(o *vuln.Observation) vuln.Outcome { return o.FallbackSCSV },
	func(o vuln.Outcome) string {
		return "server negotiated " + o.Evidence["fallback"] + " with a hello marked as a fallback from " + o.Evidence["highest"]
	})
