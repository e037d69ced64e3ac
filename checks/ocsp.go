package checks

import (
	"fmt"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner"
)

var ocspRefs = []string{
	"https://www.rfc-editor.org/rfc/rfc6960",
	"https://www.rfc-editor.org/rfc/rfc6066#section-8",
}

// OCSPStapleExpired reports a stapled OCSP response past its nextUpdate.
var OCSPStapleExpired = &scanner.Check{
	ID:       "ocsp-staple-expired",
	Title:    "Stapled OCSP response has expired",
	Severity: scanner.Medium,
	Description: "The server staples an OCSP response whose nextUpdate time has passed, so it " +
		"no longer proves anything. Clients that require stapling (certificates with the " +
		"OCSP Must-Staple extension, Firefox for them) refuse the connection; others discard " +
		"it and may query the CA's responder, leaking which site the user visits. It usually " +
		"means the server's stapling cache stopped refreshing, for example because it cannot " +
		"reach the responder.",
	Remediation: "Make the server fetch fresh responses (nginx `ssl_stapling`, Apache " +
		"`SSLUseStapling`, with a resolver and outbound access to the CA's responder), or stop " +
		"stapling rather than serve stale responses.",
	References: ocspRefs,
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		h := p.Handshake()
		// The staple's own dates say whether it expired, whatever it is
		// about (the leaf need not parse).
		o := h.StapledOCSP
		if o == nil || !o.Expired(p.Now) {
			return nil
		}
		ev := map[string]string{
			"this_update": o.ThisUpdate.Format(time.RFC3339),
			"next_update": o.NextUpdate.Format(time.RFC3339),
			"status":      o.Status,
		}
		if leaf := h.Leaf(); leaf != nil {
			ev["sha256"] = fingerprint(leaf)
		}
		p.Report(scanner.Finding{
			Message:  fmt.Sprintf("the stapled OCSP response expired on %s, %s ago", date(o.NextUpdate), ago(p.Now.Sub(o.NextUpdate))),
			Evidence: ev,
		})
		return nil
	},
}
