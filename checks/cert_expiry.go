package checks

import (
	"crypto/x509"
	"fmt"
	"math"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// The three validity-window checks read every certificate the server
// sends, not only the leaf: an expired intermediate breaks clients just as
// surely. The trust checks verify inside the validity window, so an expired
// certificate is reported here once, not again as "untrusted".

var expiryRefs = []string{
	"https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5",
	"https://cabforum.org/working-groups/server/baseline-requirements/requirements/",
}

// CertExpired reports a served certificate past its notAfter date.
var CertExpired = &scanner.Check{
	ID:       "cert-expired",
	Title:    "Certificate has expired",
	Severity: scanner.Critical,
	Description: "A certificate the server sends is past its notAfter date. Every client that " +
		"verifies certificates refuses the connection, so the service is down for them; " +
		"clients that keep working have verification turned off.",
	Remediation: "Renew the certificate and install it together with its current intermediates. " +
		"Automate renewal (ACME) and monitor expiry with the cert-expiring-soon check.",
	References: expiryRefs,
	CWE:        298,
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		for i, c := range p.Handshake().Chain {
			if p.Now.After(c.NotAfter) {
				p.Report(scanner.Finding{
					Message:  fmt.Sprintf("%s expired %s ago, on %s", role(i, c), ago(p.Now.Sub(c.NotAfter)), date(c.NotAfter)),
					Evidence: validityEvidence(c),
				})
			}
		}
		return nil
	},
}

// CertNotYetValid reports a served certificate before its notBefore date.
var CertNotYetValid = &scanner.Check{
	ID:       "cert-not-yet-valid",
	Title:    "Certificate is not yet valid",
	Severity: scanner.High,
	Description: "A certificate the server sends has a notBefore date in the future. Clients " +
		"refuse it until then. This usually means a certificate was installed early or the " +
		"issuing system's clock is wrong.",
	Remediation: "Serve the certificate that is valid now, or wait until the new one's notBefore " +
		"date before switching. Check the clock of the system that issued it.",
	References: expiryRefs,
	CWE:        298,
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		for i, c := range p.Handshake().Chain {
			if p.Now.Before(c.NotBefore) {
				p.Report(scanner.Finding{
					Message:  fmt.Sprintf("%s is not valid until %s, %s from now", role(i, c), date(c.NotBefore), ago(c.NotBefore.Sub(p.Now))),
					Evidence: validityEvidence(c),
				})
			}
		}
		return nil
	},
}

// CertExpiringSoon reports a served certificate that expires within the
// target's warning window.
var CertExpiringSoon = &scanner.Check{
	ID:       "cert-expiring-soon",
	Title:    "Certificate expires soon",
	Severity: scanner.Medium,
	Description: "A certificate the server sends expires within the warning window (30 days " +
		"unless the targets file or --expiry-days says otherwise). Within 7 days the finding " +
		"is high severity. Renewal that has not happened by now has probably failed.",
	Remediation: "Renew the certificate now and find out why automatic renewal did not run. " +
		"ACME clients normally renew 30 days before expiry.",
	References: expiryRefs,
	CWE:        298,
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		window := time.Duration(p.Target.ExpiryWarnDays) * 24 * time.Hour
		for i, c := range p.Handshake().Chain {
			left := c.NotAfter.Sub(p.Now)
			if left < 0 || left > window || p.Now.Before(c.NotBefore) {
				continue
			}
			sev := scanner.Medium
			if left <= 7*24*time.Hour {
				sev = scanner.High
			}
			ev := validityEvidence(c)
			ev["days_left"] = fmt.Sprint(int(math.Floor(left.Hours() / 24)))
			p.Report(scanner.Finding{
				Severity: sev,
				Message:  fmt.Sprintf("%s expires on %s, in %s", role(i, c), date(c.NotAfter), ago(left)),
				Evidence: ev,
			})
		}
		return nil
	},
}

// role names a certificate by its place in the served chain.
func role(i int, c *x509.Certificate) string {
	if i == 0 {
		return "the leaf certificate"
	}
	return fmt.Sprintf("intermediate %d (%s)", i, subjectName(c))
}

func subjectName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	return c.Subject.String()
}

func validityEvidence(c *x509.Certificate) map[string]string {
	return map[string]string{
		"subject":    c.Subject.String(),
		"not_before": c.NotBefore.UTC().Format(time.RFC3339),
		"not_after":  c.NotAfter.UTC().Format(time.RFC3339),
		"sha256":     fingerprint(c),
	}
}

func date(t time.Time) string { return t.UTC().Format("2006-01-02") }

// ago renders a duration in the largest sensible unit.
func ago(d time.Duration) string {
	switch days := int(d.Hours() / 24); {
	case days >= 2:
		return fmt.Sprintf("%d days", days)
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	default:
		return fmt.Sprintf("%d minutes", max(1, int(d.Minutes())))
	}
}
