package checks

import (
	"fmt"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// StartTLSNotOffered reports a service that speaks its protocol in the
// clear but offers no TLS upgrade, or refuses it. The upgrade already
// ends the scan with error kind upgrade-refused (no certificate was
// checked); this finding names the exposure and carries the server's
// reply as evidence. It reads what the plaintext exchange showed, which
// the scanner records whether or not a handshake followed, so it needs no
// probe of its own.
var StartTLSNotOffered = &scanner.Check{
	ID:       "starttls-not-offered",
	Title:    "Service offers no TLS upgrade (STARTTLS)",
	Severity: scanner.High,
	Description: "The service answers in plaintext but does not offer, or refuses, the upgrade to TLS " +
		"its protocol defines (SMTP or IMAP STARTTLS, POP3 STLS, FTP AUTH TLS, LDAP StartTLS, " +
		"PostgreSQL's SSLRequest, MySQL's SSL request, XMPP STARTTLS). Every client then sends " +
		"its credentials and data in cleartext, or fails to connect when it insists on TLS; " +
		"opportunistic clients (mail relays) silently stay in the clear.",
	Remediation: "Configure the server's certificate and key and enable TLS (Postfix " +
		"`smtpd_tls_security_level = may` or `encrypt`, Dovecot `ssl = yes`, PostgreSQL " +
		"`ssl = on`, MySQL/MariaDB `ssl-cert`/`ssl-key`, vsftpd `ssl_enable=YES`, slapd " +
		"`olcTLSCertificateFile`); where clients allow it, prefer the protocol's implicit-TLS " +
		"port (465, 993, 995) and require TLS before authentication.",
	References: []string{
		"https://www.rfc-editor.org/rfc/rfc3207",
		"https://www.rfc-editor.org/rfc/rfc8314",
		"https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL",
		"https://cwe.mitre.org/data/definitions/319.html",
	},
	CWE: 319,
	Run: func(p *scanner.Pass) error {
		u := p.Result.Upgrade
		if u == nil || !u.Refused {
			return nil
		}
		what := "refuses the TLS upgrade"
		switch {
		case u.Listed && !u.Advertised:
			what = "does not offer a TLS upgrade"
		case u.Temporary:
			what = "refuses the TLS upgrade, saying it is temporary"
		}
		p.Report(scanner.Finding{
			Message:  fmt.Sprintf("%s on port %d %s; everything sent to it travels in cleartext", u.Protocol, p.Target.Port, what),
			Evidence: map[string]string{"reply": u.Evidence},
		})
		return nil
	},
}
