package checks

import (
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// Heartbleed reports a server that answers an over-long heartbeat request
// with its own memory.
var Heartbleed = vulnCheck(scanner.Check{
	ID:       "heartbleed",
	Title:    "Server leaks memory through TLS heartbeats (Heartbleed)",
	Severity: scanner.Critical,
	Description: "Heartbleed (CVE-2014-0160): OpenSSL 1.0.1 to 1.0.1f answers a heartbeat request " +
		"with as many bytes as the request claims to carry, copying the rest from its own memory, " +
		"which can hold private keys, session keys and passwords. Probed only when the server " +
		"negotiated the heartbeat extension: after the server's first flight tlsaudit sends one " +
		"unencrypted HeartbeatRequest claiming 256 payload bytes and carrying none (a correct " +
		"server discards it, RFC 6520 §4). The finding records how many bytes came back, never " +
		"the bytes.",
	Remediation: "Upgrade OpenSSL (1.0.1g or later; current releases have no heartbeat code), " +
		"restart every process using it, then replace the private key and certificate and " +
		"invalidate sessions and passwords: assume everything in the server's memory leaked.",
	References: []string{cve("CVE-2014-0160"), "https://www.rfc-editor.org/rfc/rfc6520#section-4", "https://heartbleed.com/"},
	CWE:        126,
}, func(o *vuln.Observation) vuln.Outcome { return o.Heartbleed },
	func(o vuln.Outcome) string {
		return "server answered a heartbeat request with " + o.Evidence["leaked_bytes"] + " bytes of its memory (Heartbleed, CVE-2014-0160)"
	})
