package checks

import (
	"fmt"
	"strconv"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// HSTSShortMaxAge reports a valid HSTS policy whose max-age is shorter
// than the target's hsts_min_age (one year unless configured). max-age=0
// is the RFC 6797 §6.1.1 way to switch HSTS off, and is reported at the
// severity of a missing header.
var HSTSShortMaxAge = &scanner.Check{
	ID:       "hsts-short-max-age",
	Title:    "HSTS max-age is shorter than the minimum",
	Severity: scanner.Low,
	Description: "The Strict-Transport-Security header is valid but its max-age is below the " +
		"minimum (one year unless the target's hsts_min_age says otherwise; one year is what " +
		"OWASP and Mozilla recommend and what browsers' preload lists require). A browser that " +
		"has not visited the host for longer than max-age is unprotected on its next visit. " +
		"max-age=0 tells browsers to forget the host's policy altogether and is reported at medium " +
		"severity, like a missing header.",
	Remediation: "Raise max-age to at least 31536000 (one year). Roll out by steps (a week, a " +
		"month, a year) if you are not yet sure every subdomain serves HTTPS when " +
		"includeSubDomains is set.",
	References: hstsRefs,
	CWE:        523,
	Needs:      scanner.NeedHTTP,
	Run: func(p *scanner.Pass) error {
		hp, err := httpsProbe(p)
		if hp == nil || hp.HSTS == nil || !hp.HSTS.Valid {
			return err
		}
		minAge := int64(p.Target.HSTSMinAge().Seconds())
		age := hp.HSTS.MaxAge
		ev := hstsEvidence(hp)
		ev["min_age"] = strconv.FormatInt(minAge, 10)
		switch {
		case age == 0:
			p.Report(scanner.Finding{
				Severity: scanner.Medium,
				Message:  fmt.Sprintf("%s sends max-age=0, which tells browsers to forget its HSTS policy", hp.URL),
				Evidence: ev,
			})
		case age < minAge:
			p.Report(scanner.Finding{
				Message:  fmt.Sprintf("%s sends HSTS max-age %s, below the minimum of %s", hp.URL, humanSeconds(age), humanSeconds(minAge)),
				Evidence: ev,
			})
		}
		return nil
	},
}
