package checks

import (
	"fmt"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// HSTSMissing reports an HTTPS answer without Strict-Transport-Security.
// The header is read from whatever the host answers, error statuses and
// redirects included: browsers honour it on any response over TLS.
var HSTSMissing = &scanner.Check{
	ID:       "hsts-missing",
	Title:    "HTTPS answer has no Strict-Transport-Security header",
	Severity: scanner.Medium,
	Description: "The host answers over HTTPS without a Strict-Transport-Security (HSTS) header, so " +
		"browsers and HTTP clients that honour HSTS keep following http:// links and typed " +
		"addresses, and an attacker on the network can keep them on plain HTTP (SSL stripping). " +
		"Native apps that call an API with https:// URLs are less exposed, which is why this is " +
		"medium, not high. Targets reached by IP address are skipped: browsers ignore HSTS for IPs.",
	Remediation: "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` (or " +
		"longer) on every HTTPS response, including errors and redirects. Add `preload` and " +
		"submit the domain to hstspreload.org once every subdomain serves HTTPS.",
	References: hstsRefs,
	CWE:        523,
	Needs:      scanner.NeedHTTP,
	Run: func(p *scanner.Pass) error {
		hp, err := httpsProbe(p)
		if hp == nil || hp.HSTS != nil {
			return err
		}
		p.Report(scanner.Finding{
			Message:  fmt.Sprintf("%s answers %q without a Strict-Transport-Security header", hp.URL, hp.StatusLine),
			Evidence: hstsEvidence(hp),
		})
		return nil
	},
}
