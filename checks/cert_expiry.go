package checks

import (
	"crypto/x509"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// The three validity-window checks read every certificate the server
// sends, not only the leaf: an expired intermediate breaks clients just as
// surely. The trust checks verify inside the validity window, so an expired
// certificate is reported here once, not again as "untrusted".
//
// A served certificate off the path clients verify (an expired cross-signed
// root still sent, a leftover of an old chain) breaks only clients that
// follow the served chain as sent: its findings are low, and say so.

var expiryRefs = []string{
	"https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5",
	"https://cabforum.org/working-groups/server/baseline-requirements/requirements/",
}

// CertExpired reports a served certificate past its notAfter date.
var CertExpired = &scanner.Check{
	ID:       "cert-expired",
	Title:    "Certificate has expired",
	Severity: scanner.Critical,
	Description: "A certificate the server sends is past its notAfter date. When it is the leaf " +
		"or on the path clients verify, every client that verifies certificates refuses the " +
		"connection, so the service is down for them; clients that keep working have " +
		"verification turned off. When it is not on that path (an expired cross-signed root the " +
		"server still sends, a leftover of an old chain) the finding is low: current clients " +
		"build another path and ignore it, but clients that follow the served chain as sent " +
		"(OpenSSL before 1.1.1, GnuTLS before 3.6.14) fail, as when AddTrust's root expired in 2020.",
	Remediation: "Renew the certificate and install it together with its current intermediates. " +
		"Automate renewal (ACME) and monitor expiry with the cert-expiring-soon check. An expired " +
		"certificate off the verified path is removed from the served chain, not renewed.",
	References: expiryRefs,
	CWE:        298,
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		onPath := verifiedPath(p.Handshake())
		return judgeCerts(p, slices.All(p.Handshake().Chain), func(i int, c *x509.Certificate) (scanner.Finding, bool) {
			if !p.Now.After(c.NotAfter) {
				return scanner.Finding{}, false
			}
			return validityFinding(scanner.Critical, onPath(c), c,
				fmt.Sprintf("%s expired %s ago, on %s", role(i, c), ago(p.Now.Sub(c.NotAfter)), date(c.NotAfter))), true
		})
	},
}

// CertNotYetValid reports a served certificate before its notBefore date.
var CertNotYetValid = &scanner.Check{
	ID:       "cert-not-yet-valid",
	Title:    "Certificate is not yet valid",
	Severity: scanner.High,
	Description: "A certificate the server sends has a notBefore date in the future. Clients " +
		"refuse it until then. This usually means a certificate was installed early or the " +
		"issuing system's clock is wrong. Low when the certificate is not on the path clients " +
		"verify (see cert-expired).",
	Remediation: "Serve the certificate that is valid now, or wait until the new one's notBefore " +
		"date before switching. Check the clock of the system that issued it.",
	References: expiryRefs,
	CWE:        298,
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		onPath := verifiedPath(p.Handshake())
		return judgeCerts(p, slices.All(p.Handshake().Chain), func(i int, c *x509.Certificate) (scanner.Finding, bool) {
			if !p.Now.Before(c.NotBefore) {
				return scanner.Finding{}, false
			}
			return validityFinding(scanner.High, onPath(c), c,
				fmt.Sprintf("%s is not valid until %s, %s from now", role(i, c), date(c.NotBefore), ago(c.NotBefore.Sub(p.Now)))), true
		})
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
		"is high severity. Renewal that has not happened by now has probably failed. Low when the " +
		"certificate is not on the path clients verify (see cert-expired).",
	Remediation: "Renew the certificate now and find out why automatic renewal did not run. " +
		"ACME clients normally renew 30 days before expiry.",
	References: expiryRefs,
	CWE:        298,
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		window := time.Duration(p.Target.ExpiryWarnDays) * 24 * time.Hour
		onPath := verifiedPath(p.Handshake())
		return judgeCerts(p, slices.All(p.Handshake().Chain), func(i int, c *x509.Certificate) (scanner.Finding, bool) {
			left := c.NotAfter.Sub(p.Now)
			if left < 0 || left > window || p.Now.Before(c.NotBefore) {
				return scanner.Finding{}, false
			}
			sev := scanner.Medium
			if left <= 7*24*time.Hour {
				sev = scanner.High
			}
			f := validityFinding(sev, onPath(c), c, fmt.Sprintf("%s expires on %s, in %s", role(i, c), date(c.NotAfter), ago(left)))
			f.Evidence["days_left"] = fmt.Sprint(int(math.Floor(left.Hours() / 24)))
			return f, true
		})
	},
}

// verifiedPath returns whether a served certificate is one clients verify:
// the leaf, or a certificate on the verified path, or, when the chain did
// not verify, on the path the server meant (certinfo.Path).
func verifiedPath(h *handshake.Handshake) func(*x509.Certificate) bool {
	path := h.Trust.Verified
	if len(path) == 0 {
		path = certinfo.Path(h.Chain)
	}
	return func(c *x509.Certificate) bool {
		return c == h.Leaf() || slices.ContainsFunc(path, c.Equal)
	}
}

// validityFinding is a validity-window finding about c: sev when c is on
// the path clients verify, low with the reason said when it is not.
func validityFinding(sev scanner.Severity, onPath bool, c *x509.Certificate, msg string) scanner.Finding {
	ev := validityEvidence(c)
	ev["on_verified_path"] = strconv.FormatBool(onPath)
	if !onPath {
		sev = scanner.Low
		msg += "; it is not on the path clients verify, so only clients that follow the served chain as sent fail"
	}
	return scanner.Finding{Severity: sev, Message: msg, Evidence: ev}
}

// role names a certificate by its place in the served chain, quoting its
// server-supplied name.
func role(i int, c *x509.Certificate) string {
	switch {
	case i == 0:
		return "the leaf certificate"
	case certinfo.SelfIssued(c):
		return fmt.Sprintf("root %d (%q)", i, subjectName(c))
	}
	return fmt.Sprintf("intermediate %d (%q)", i, subjectName(c))
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
		m := max(1, int(d.Minutes()))
		return fmt.Sprintf("%d %s", m, words.Plural(m, "minute", "minutes"))
	}
}
