package checks

import (
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// RenegotiationInsecure reports a server without RFC 5746 secure
// renegotiation.
var RenegotiationInsecure = vulnCheck(scanner.Check{
	ID:       "renegotiation-insecure",
	Title:    "Server does not support secure renegotiation (RFC 5746)",
	Severity: scanner.High,
	Description: "Without the renegotiation_info extension (RFC 5746) a renegotiated handshake " +
		"is not bound to the one before it, so an attacker in the path can splice their own " +
		"request in front of a client's (CVE-2009-3555). tlsaudit reads the ServerHello of one " +
		"TLS 1.0-1.2 hello that offers the extension; TLS 1.3-only servers are not tested " +
		"(TLS 1.3 has no renegotiation).",
	Remediation: "Upgrade the TLS library: every library released since 2010 supports RFC 5746.",
	References:  []string{cve("CVE-2009-3555"), "https://www.rfc-editor.org/rfc/rfc5746"},
	CWE:         345,
}, func(o *vuln.Observation) vuln.Outcome { return o.RenegotiationInsecure },
	func(o vuln.Outcome) string {
		return "server's " + o.Evidence["version"] + " ServerHello has no renegotiation_info (CVE-2009-3555)"
	})
