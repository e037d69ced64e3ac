package checks

import (
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// ExtendedMasterSecretMissing reports TLS 1.2 without RFC 7627.
var ExtendedMasterSecretMissing = vulnCheck(scanner.Check{
	ID:       "extended-master-secret-missing",
	Title:    "Server does not negotiate the extended master secret in TLS 1.2",
	Severity: scanner.Low,
	Description: "Without the extended master secret (RFC 7627) a TLS 1.2 master secret is not " +
		"bound to the handshake that made it, so a malicious server can share it across two " +
		"connections (the triple-handshake attack, CVE-2014-1295) and channel bindings and " +
		"exported keys are not unique. tlsaudit reads the ServerHello of one TLS 1.2 hello that " +
		"offers the extension; servers without TLS 1.2 are not tested.",
	Remediation: "Upgrade the TLS library or enable the extension (OpenSSL, GnuTLS and Go " +
		"negotiate it by default).",
	References: []string{"https://www.rfc-editor.org/rfc/rfc7627", cve("CVE-2014-1295")},
	CWE:        325,
}, func(o *vuln.Observation) vuln.Outcome { return o.ExtendedMasterSecret },
	func(vuln.Outcome) string {
		return "server's TLS 1.2 ServerHello has no extended_master_secret (RFC 7627)"
	})
