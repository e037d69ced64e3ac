package checks

import (
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// Compression reports TLS-level compression (CRIME).
var Compression = vulnCheck(scanner.Check{
	ID:       "compression",
	Title:    "Server accepts TLS compression (CRIME)",
	Severity: scanner.High,
	Description: "CRIME (CVE-2012-4929): when TLS compresses records, the size of each encrypted " +
		"record reveals how well attacker-chosen text compresses against secrets in the same " +
		"record, such as cookies, which an attacker recovers byte by byte. tlsaudit sends one " +
		"TLS 1.0-1.2 hello offering DEFLATE and null compression and reads the method the " +
		"ServerHello chose.",
	Remediation: "Disable TLS compression (OpenSSL: `SSL_OP_NO_COMPRESSION`, the default since " +
		"1.1.0; nginx and Apache turn it off by default in current releases).",
	References: []string{cve("CVE-2012-4929"), "https://www.rfc-editor.org/rfc/rfc7457#section-2.6"},
	CWE:        310,
}, func(o *vuln.Observation) vuln.Outcome { return o.Compression },
	func(o vuln.Outcome) string {
		return "server chose " + o.Evidence["compression_method"] + " compression (CRIME, CVE-2012-4929)"
	})
