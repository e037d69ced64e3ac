//go:build !nozcrypto && !windows

package checks

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	zx509 "github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	// zlint's lints register themselves in its global registry when their
	// packages load; this import (the same set zlint.LintCertificate
	// uses) is what loads them.
	_ "github.com/zmap/zlint/v3"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// zlint is a family check: each zlint lint is a rule "zlint/NAME" with
// its own ID, severity and citation, listed by ZlintRules from zlint's
// registry when asked (zlint registers its lints globally at init; this
// package reads that registry and keeps no state of its own).
//
// It is off by default. Its lints are the rules CAs must follow when they
// issue certificates (RFC 5280, the CA/Browser Forum Baseline
// Requirements, root-store policies): findings are for a CA to fix, and
// most do not change whether a client connects. On private CAs, which the
// Baseline Requirements do not bind, the BR lints are mostly noise (a lab
// leaf from Go's crypto/x509 breaks seven of them). Turn it on per target
// with `zlint: [RFC5280, CABF_BR]` (lint sources, or "all"), for every
// target with --zlint, or by naming rules in --checks (`zlint/e_*`).
const zlintFamily = "zlint"

// ZlintAvailable says whether this build has zlint: zcrypto's x509
// package, which zlint lints with, does not build with CGO_ENABLED=0 for
// windows (zlint_unavailable.go stands in there, and anywhere with the
// nozcrypto tag).
const ZlintAvailable = true

// Zlint runs zlint's certificate lints over the leaf and intermediates.
var Zlint = &scanner.Check{
	ID:       zlintFamily,
	Title:    "Certificate breaks an issuance rule zlint checks (off by default)",
	Severity: scanner.Medium,
	Description: "Runs zlint (github.com/zmap/zlint, the linter CAs and Certificate " +
		"Transparency monitors use) over the leaf and every intermediate the server sends. " +
		"Each lint that reports an error or a warning becomes a finding under the lint's own " +
		"name, such as zlint/e_sub_cert_aia_missing: e_ lints (a MUST broken) are medium, " +
		"w_ lints (a SHOULD) low; zlint's notice lints (n_) are not run. Off unless a target lists zlint sources (`zlint:`), " +
		"--zlint is given, or --checks names zlint rules; 'tlsaudit checks zlint/*' lists them.",
	Remediation: "Ask the CA to reissue the certificate in line with the cited rule; for a " +
		"private CA, fix its issuance profile. Skip rules that do not apply to your PKI with " +
		"skip_checks (for example `zlint/w_*`).",
	References: []string{
		"https://github.com/zmap/zlint",
		"https://cabforum.org/working-groups/server/baseline-requirements/requirements/",
		"https://www.rfc-editor.org/rfc/rfc5280",
	},
	Needs: scanner.NeedHandshake,
	Run:   runZlint,
	Rules: ZlintRules,
}

// ZlintRules describes every zlint certificate lint tlsaudit runs as a
// rule, sorted by ID: the metadata SARIF rules and `tlsaudit checks` show.
// Severity is set by the lint's name prefix (e_ medium, w_ low) and is the
// severity of every finding under the rule, so the two always agree.
// zlint's notice lints (n_) are not rules: a notice is not a problem to
// report, so they are neither listed nor run.
//
// The list is built once (hundreds of rules, two regular expressions
// each) and shared: every selection pattern naming zlint rules on every
// target reads it. Callers must not change it.
func ZlintRules() []scanner.Rule { return zlintRules() }

var zlintRules = sync.OnceValue(func() []scanner.Rule {
	lints := certificateLints()
	rules := make([]scanner.Rule, 0, len(lints))
	for _, l := range lints {
		rules = append(rules, zlintRule(l))
	}
	return rules
})

// zlintRuleByID indexes ZlintRules by rule ID.
var zlintRuleByID = sync.OnceValue(func() map[string]scanner.Rule {
	rules := zlintRules()
	m := make(map[string]scanner.Rule, len(rules))
	for _, r := range rules {
		m[r.ID] = r
	}
	return m
})

// ZlintRule returns the rule for one ID ("zlint/e_sub_cert_aia_missing").
func ZlintRule(id string) (scanner.Rule, bool) {
	r, ok := zlintRuleByID()[id]
	return r, ok
}

// ZlintSources lists the lint sources zlint knows ("RFC5280", "CABF_BR",
// ...), sorted, for the `zlint:` setting.
func ZlintSources() []string {
	var out []string
	for _, s := range lint.GlobalRegistry().CertificateLints().Sources() {
		out = append(out, string(s))
	}
	slices.Sort(out)
	return out
}

// certificateLints is zlint's certificate lints sorted by name, built once:
// the registry is complete once zlint's packages have loaded, and every
// target's zlint run and every rule listing reads it. Callers must not
// change the slice.
var certificateLints = sync.OnceValue(func() []*lint.CertificateLint {
	lints := slices.DeleteFunc(slices.Clone(lint.GlobalRegistry().CertificateLints().Lints()),
		func(l *lint.CertificateLint) bool { return !problemLint(l) })
	slices.SortFunc(lints, func(a, b *lint.CertificateLint) int { return cmp.Compare(a.Name, b.Name) })
	return lints
})

// problemLint reports whether a lint checks a rule whose breach is a
// problem (a MUST, e_, or a SHOULD, w_), not a notice (n_).
func problemLint(l *lint.CertificateLint) bool {
	return strings.HasPrefix(l.Name, "e_") || strings.HasPrefix(l.Name, "w_")
}

// lintSeverity is the severity of a lint's rule and findings, by its
// name: e_ (a MUST) medium, w_ (a SHOULD) low. A few lints return the
// other status for some inputs (e_sub_cert_eku_check warns about an
// unusual usage); the rule's severity still holds, and the evidence says
// what the lint returned.
func lintSeverity(l *lint.CertificateLint) scanner.Severity {
	if strings.HasPrefix(l.Name, "w_") {
		return scanner.Low
	}
	return scanner.Medium
}

func zlintRule(l *lint.CertificateLint) scanner.Rule {
	return scanner.Rule{
		ID:          zlintFamily + "/" + l.Name,
		Title:       zlintTitle(l.Description, l.Name),
		Severity:    lintSeverity(l),
		Description: l.Description,
		References:  zlintReferences(l.Source, l.Citation),
		Citation:    l.Citation,
		Source:      string(l.Source),
	}
}

// zlintTitle makes a one-line title (no final period, at most 80
// characters) from a lint's description, whose first sentence usually
// states the rule.
func zlintTitle(desc, name string) string {
	t := strings.Join(strings.Fields(desc), " ")
	if i := strings.Index(t, ". "); i > 0 {
		t = t[:i]
	}
	t = strings.TrimRight(t, ". ")
	if t == "" {
		return name
	}
	if r := []rune(t); len(r) > 80 {
		t = strings.TrimRight(string(r[:79]), " ,;:") + "…"
	}
	return t
}

var (
	citedURL = regexp.MustCompile(`https://[^\s,;)\]]+`)
	citedRFC = regexp.MustCompile(`RFC ?(\d{4})(?:[:,]? *(?:[Ss]ection )?(\d+(?:\.\d+)*))?`)
)

// sourceURLs are the governing texts of zlint's lint sources.
var sourceURLs = map[lint.LintSource]string{
	lint.CABFBaselineRequirements:      "https://cabforum.org/working-groups/server/baseline-requirements/requirements/",
	lint.CABFEVGuidelines:              "https://cabforum.org/working-groups/server/extended-validation/guidelines/",
	lint.CABFCSBaselineRequirements:    "https://cabforum.org/working-groups/code-signing/requirements/",
	lint.CABFSMIMEBaselineRequirements: "https://cabforum.org/working-groups/smime/requirements/",
	lint.MozillaRootStorePolicy:        "https://www.mozilla.org/en-US/about/governance/policies/security-group/certs/policy/",
	lint.AppleRootStorePolicy:          "https://www.apple.com/certificateauthority/ca_program.html",
	lint.EtsiEsi:                       "https://www.etsi.org/deliver/etsi_en/319400_319499/",
	lint.Community:                     "https://github.com/zmap/zlint",
}

// zlintReferences turns a lint's source and citation into https URLs: a
// URL in the citation, the RFC section it names, then the source's text.
func zlintReferences(src lint.LintSource, citation string) []string {
	var refs []string
	refs = append(refs, citedURL.FindAllString(citation, -1)...)
	if m := citedRFC.FindStringSubmatch(citation); m != nil {
		u := "https://www.rfc-editor.org/rfc/rfc" + m[1]
		if m[2] != "" {
			u += "#section-" + m[2]
		}
		refs = append(refs, u)
	} else if n, ok := strings.CutPrefix(string(src), "RFC"); ok {
		refs = append(refs, "https://www.rfc-editor.org/rfc/rfc"+n)
	}
	if u, ok := sourceURLs[src]; ok {
		refs = append(refs, u)
	}
	if len(refs) == 0 {
		refs = append(refs, sourceURLs[lint.Community])
	}
	return slices.Compact(refs)
}

// zlintSelection says which lint sources run on a target: those its
// `zlint` setting names ("all" for every one), or every source when the
// check selection names zlint rules explicitly.
func zlintSelection(t *scanner.Target) func(lint.LintSource) bool {
	if t.Checks.Names(zlintFamily) || slices.ContainsFunc(t.Zlint, func(s string) bool { return strings.EqualFold(s, "all") }) {
		return func(lint.LintSource) bool { return true }
	}
	if len(t.Zlint) == 0 {
		return nil
	}
	return func(s lint.LintSource) bool {
		return slices.ContainsFunc(t.Zlint, func(want string) bool { return strings.EqualFold(want, string(s)) })
	}
}

func runZlint(p *scanner.Pass) error {
	sourceOn := zlintSelection(p.Target)
	if sourceOn == nil {
		return nil
	}
	var lints []*lint.CertificateLint
	for _, l := range certificateLints() {
		if sourceOn(l.Source) && p.Target.Checks.Allows(zlintFamily+"/"+l.Name) {
			lints = append(lints, l)
		}
	}
	if len(lints) == 0 {
		return nil
	}
	cfg := lint.GlobalRegistry().GetConfiguration()
	var fatal []string
	h, found := p.Handshake(), false
	for i, c := range issuedCerts(h.Chain) {
		zc, err := zx509.ParseCertificate(c.Raw)
		if err != nil {
			fatal = append(fatal, fmt.Sprintf("%s: zcrypto cannot parse it: %v", role(i, c), err))
			continue
		}
		for _, l := range lints {
			res := l.Execute(zc, cfg)
			switch res.Status {
			case lint.Error, lint.Warn:
			case lint.Fatal:
				fatal = append(fatal, fmt.Sprintf("%s: lint %s failed: %s", role(i, c), l.Name, res.Details))
				continue
			default:
				continue
			}
			detail := res.Details
			if detail == "" {
				detail = l.Description
			}
			ev := map[string]string{
				"lint":     l.Name,
				"status":   res.Status.String(),
				"source":   string(l.Source),
				"citation": l.Citation,
				"subject":  c.Subject.String(),
				"sha256":   fingerprint(c),
			}
			found = true
			p.Report(scanner.Finding{
				CheckID:  zlintFamily + "/" + l.Name,
				Severity: lintSeverity(l),
				Message:  fmt.Sprintf("%s breaks %s: %s", role(i, c), l.Name, strings.TrimRight(strings.Join(strings.Fields(detail), " "), ".")),
				Evidence: ev,
			})
		}
	}
	if len(fatal) > 0 {
		return fmt.Errorf("zlint could not decide: %s", strings.Join(fatal, "; "))
	}
	if !found {
		return unparsed(h)
	}
	return nil
}
