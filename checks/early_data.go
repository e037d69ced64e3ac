package checks

import (
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// EarlyDataAccepted reports a TLS 1.3 server that offers 0-RTT.
var EarlyDataAccepted = vulnCheck(scanner.Check{
	ID:       "early-data-accepted",
	Title:    "Server accepts TLS 1.3 0-RTT early data",
	Severity: scanner.Info,
	Description: "The server's TLS 1.3 session tickets carry the early_data extension with a " +
		"max_early_data_size above 0: a client resuming with such a ticket may send its first " +
		"request before the handshake ends (0-RTT). Early data is not protected against replay " +
		"(RFC 8446 section 8): an attacker who records it can send it again, so a non-idempotent " +
		"request (a payment, a POST that changes state) can run twice unless the application " +
		"rejects replays or the server answers early data with 425 Too Early (RFC 8470). " +
		"tlsaudit completes one TLS 1.3 handshake and reads the tickets the server sends after " +
		"it; it neither resumes nor sends early data.",
	Remediation: "Turn 0-RTT off unless the application is replay-safe (nginx `ssl_early_data " +
		"off;`, the default; OpenSSL `SSL_CTX_set_max_early_data(ctx, 0)`), or accept early data " +
		"only for idempotent requests and forward the `Early-Data: 1` header so the application " +
		"can answer 425 Too Early.",
	References: []string{
		"https://www.rfc-editor.org/rfc/rfc8446#section-8",
		"https://www.rfc-editor.org/rfc/rfc8446#section-4.6.1",
		"https://www.rfc-editor.org/rfc/rfc8470",
	},
	CWE: 294,
}, func(o *vuln.Observation) vuln.Outcome { return o.EarlyData },
	func(o vuln.Outcome) string {
		return "TLS 1.3 session tickets allow " + o.Evidence["max_early_data_size"] + " bytes of 0-RTT early data (replayable)"
	})
