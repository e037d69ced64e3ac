package checks

import (
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// RenegotiationClientInitiated reports a server that accepts a
// renegotiation started by the client.
var RenegotiationClientInitiated = vulnCheck(scanner.Check{
	ID:       "renegotiation-client-initiated",
	Title:    "Server accepts client-initiated renegotiation",
	Severity: scanner.Medium,
	Description: "Each renegotiation costs the server a full handshake (its private-key " +
		"operation) while the client can send them back to back on one connection, a lever for " +
		"denial of service (CVE-2011-1473, as testssl.sh names it); few applications need " +
		"client-initiated renegotiation. tlsaudit completes one TLS 1.2 handshake (ECDHE " +
		"AES-128-GCM, no application data) and starts one renegotiation with an encrypted " +
		"ClientHello bound to it (RFC 5746); a ServerHello in answer is the finding, a " +
		"no_renegotiation warning or any other refusal is not. Servers that allow a few " +
		"renegotiations before blocking are flagged too.",
	Remediation: "Refuse client-initiated renegotiation: OpenSSL 3 does by default (do not set " +
		"`SSL_OP_ALLOW_CLIENT_RENEGOTIATION` or `Options = ClientRenegotiation`); a GnuTLS " +
		"application refuses by answering `GNUTLS_E_REHANDSHAKE` with a no_renegotiation alert " +
		"instead of calling `gnutls_handshake`; where the software offers no switch, prefer " +
		"TLS 1.3, which has no renegotiation, and rate-limit handshakes in front of it.",
	References: []string{cve("CVE-2011-1473"), "https://www.rfc-editor.org/rfc/rfc5746"},
	CWE:        400,
}, func(o *vuln.Observation) vuln.Outcome { return o.ClientRenegotiation },
	func(vuln.Outcome) string {
		return "server accepted a TLS 1.2 renegotiation started by the client"
	})
