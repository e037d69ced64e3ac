package checks

import (
	"fmt"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// lifetimeRule is a CA/Browser Forum maximum validity period for
// certificates issued from a date on.
type lifetimeRule struct {
	from   time.Time
	days   int // the limit in days, or 0 when it is in months
	months int
	rule   string
}

func utcDate(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// lifetimeRules, newest first. The Baseline Requirements measure validity
// from notBefore to notAfter inclusive; the issuance date is notBefore.
var lifetimeRules = []lifetimeRule{
	{from: utcDate(2029, time.March, 15), days: 47, rule: "ballot SC-081 (issued from 15 March 2029)"},
	{from: utcDate(2027, time.March, 15), days: 100, rule: "ballot SC-081 (issued from 15 March 2027)"},
	{from: utcDate(2026, time.March, 15), days: 200, rule: "ballot SC-081 (issued from 15 March 2026)"},
	{from: utcDate(2020, time.September, 1), days: 398, rule: "ballot SC-31 (issued from 1 September 2020)"},
	{from: utcDate(2018, time.March, 1), days: 825, rule: "ballot 193 (issued from 1 March 2018)"},
	{from: utcDate(2015, time.April, 1), months: 39, rule: "Baseline Requirements 1.1.x (issued from 1 April 2015)"},
	{from: utcDate(2012, time.July, 1), months: 60, rule: "Baseline Requirements 1.0 (issued from 1 July 2012)"},
}

// ruleFor returns the rule in force for a certificate issued at nb.
func ruleFor(nb time.Time) (lifetimeRule, bool) {
	for _, r := range lifetimeRules {
		if !nb.Before(r.from) {
			return r, true
		}
	}
	return lifetimeRule{}, false
}

// limit is the latest notAfter the rule allows for a certificate valid
// from nb (validity counts both ends, hence the second less).
func (r lifetimeRule) limit(nb time.Time) time.Time {
	if r.days > 0 {
		return nb.Add(time.Duration(r.days)*24*time.Hour - time.Second)
	}
	return nb.AddDate(0, r.months, 0).Add(-time.Second)
}

func (r lifetimeRule) String() string {
	if r.days > 0 {
		return fmt.Sprintf("%d %s", r.days, words.Plural(r.days, "day", "days"))
	}
	return fmt.Sprintf("%d %s", r.months, words.Plural(r.months, "month", "months"))
}

// CertLifetimeTooLong reports a leaf valid for longer than the CA/Browser
// Forum allowed on its issuance date.
var CertLifetimeTooLong = &scanner.Check{
	ID:       "cert-lifetime-too-long",
	Title:    "Certificate is valid for longer than allowed",
	Severity: scanner.Medium,
	Description: "The leaf certificate's validity period is longer than the CA/Browser Forum " +
		"limit in force on its issuance date (notBefore): 398 days for certificates issued " +
		"from 1 September 2020, 200 days from 15 March 2026, falling to 100 days in 2027 and " +
		"47 days in 2029 (ballot SC-081). Publicly trusted CAs may not issue such certificates " +
		"and Apple platforms reject them, and a long-lived key is a long-lived risk. The finding " +
		"is medium for certificates trusted through the system roots, and low for private " +
		"CAs, which the rule does not bind but whose certificates share the risk.",
	Remediation: "Reissue the certificate with a shorter validity and automate renewal (ACME), " +
		"so that short lifetimes cost nothing.",
	References: []string{
		"https://cabforum.org/working-groups/server/baseline-requirements/requirements/",
		"https://cabforum.org/2025/04/11/ballot-sc081v3-introduce-schedule-of-reducing-validity-and-data-reuse-periods/",
		"https://support.apple.com/en-us/102028",
	},
	Needs: scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		h := p.Handshake()
		leaf, err := parsedLeaf(h)
		if err != nil {
			return err
		}
		rule, ok := ruleFor(leaf.NotBefore)
		if !ok || !leaf.NotAfter.After(rule.limit(leaf.NotBefore)) {
			return nil
		}
		sev := scanner.Low
		// Publicly trusted: verified against the system roots (the
		// target names no roots of its own), not against a label that a
		// CA file could share.
		if h.Trust.Status == handshake.TrustOK && p.Target.Roots == nil {
			sev = scanner.Medium
		}
		days := int(leaf.NotAfter.Sub(leaf.NotBefore).Round(time.Hour).Hours() / 24)
		ev := validityEvidence(leaf)
		ev["validity_days"] = fmt.Sprint(days)
		ev["limit"] = rule.String()
		ev["rule"] = rule.rule
		p.Report(scanner.Finding{
			Severity: sev,
			Message: fmt.Sprintf("the leaf certificate is valid for %d %s; certificates issued on %s may be valid for at most %s",
				days, words.Plural(days, "day", "days"), date(leaf.NotBefore), rule),
			Evidence: ev,
		})
		return nil
	},
}
