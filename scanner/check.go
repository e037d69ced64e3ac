package scanner

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// A Check inspects what the scanner observed about one target and reports
// findings. Checks do no I/O: the scanner runs the probes a check Needs
// first, then calls Run, so one handshake serves every check and checks are
// testable without sockets.
type Check struct {
	// ID is stable forever: the SARIF ruleId, part of the alert
	// fingerprint, what --checks, --skip and accepted risks name.
	// Form: lowercase words joined by hyphens, e.g. "cert-expired".
	ID string

	// Title is one line, sentence case, no final period (SARIF
	// shortDescription, `tlsaudit checks`).
	Title string

	// Severity is the default for this check's findings; a finding may
	// carry its own (expiring in 3 days is worse than in 25).
	Severity Severity

	// Description says what is checked and why it matters (SARIF
	// fullDescription). Plain text.
	Description string

	// Remediation says how to fix it. Plain text; may hold Markdown
	// inline code.
	Remediation string

	// References are https URLs of the governing texts: RFCs, CA/Browser
	// Forum requirements, Mozilla guidelines.
	References []string

	// CWE is the weakness ID, or 0 when none fits.
	CWE int

	// Scheme names the published rating scheme the severity follows, when
	// there is one (for example "Mozilla server-side TLS").
	Scheme string

	// Needs names the observations Run reads. The scanner runs each needed
	// probe once per target and skips the check when one is missing (the
	// target's scan error then says why).
	Needs Needs

	// Run examines p and calls p.Report for each problem. It returns an
	// error only when it cannot decide; that becomes a check error in the
	// result, never a pass.
	Run func(p *Pass) error

	// Rules, when set, makes the check a family: it reports its findings
	// under the IDs of rules known only at run time ("zlint/NAME", one per
	// zlint lint) rather than under its own ID. Rules lists them with their
	// metadata, for `tlsaudit checks`, SARIF rules and selection patterns.
	Rules func() []Rule
}

// A Rule is one member of a family check: an ID "FAMILY/NAME" a finding
// can carry, with the metadata a SARIF rule and `tlsaudit checks` show.
type Rule struct {
	ID          string
	Title       string
	Severity    Severity
	Description string
	// References are https URLs; Citation is the governing text's own
	// pointer ("BRs: 7.1.2.3", "RFC 5280: 4.2.1.3").
	References []string
	Citation   string
	// Source names the rule's origin within the family (a zlint lint
	// source such as "CABF_BR" or "RFC5280").
	Source string
}

// Needs is a set of observations a check reads.
type Needs uint8

const (
	// NeedHandshake: the shared TLS handshake (negotiated parameters,
	// peer chain, trust verdict).
	NeedHandshake Needs = 1 << iota
	// NeedEnumeration: every protocol version and cipher suite the server
	// accepts. Costs many connections.
	NeedEnumeration
	// NeedHTTP: plain-HTTP and HTTPS requests.
	NeedHTTP
	// NeedPlainHTTP, with NeedHTTP: the plain-HTTP probe too, which can
	// cost a connect timeout on a filtered port 80; skipping the checks
	// that read it skips it.
	NeedPlainHTTP
	// NeedSource: one file of an app's source tree (Result.Source). The
	// scanner never has it for an endpoint, so these checks run only in
	// discover, once per source file.
	NeedSource
	// NeedVulnerabilities, with NeedEnumeration: the known-vulnerability
	// probes (scanner/vuln), which the enumeration's findings gate.
	NeedVulnerabilities
)

// A Pass is the input of one check on one target.
type Pass struct {
	Check  *Check
	Target *Target
	// Now is the scan clock; tests pin it.
	Now time.Time
	// Result holds the observations. Fields a check Needs are non-nil.
	Result *Result

	report func(Finding)
}

// NewPass builds a pass whose findings go to report. The scanner uses it;
// tests of single checks do too.
func NewPass(c *Check, r *Result, now time.Time, report func(Finding)) *Pass {
	return &Pass{Check: c, Target: r.Target, Now: now, Result: r, report: report}
}

// Handshake returns the shared handshake observations.
func (p *Pass) Handshake() *handshake.Handshake { return p.Result.Handshake }

// Report records a finding. An empty CheckID or zero Severity is filled in
// from the check.
func (p *Pass) Report(f Finding) {
	if f.CheckID == "" {
		f.CheckID = p.Check.ID
	}
	if f.Severity == 0 {
		f.Severity = p.Check.Severity
	}
	p.report(f)
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ruleIDPattern is the form of family rule IDs. Only the zlint namespace
// exists; its names are zlint's lint names (lowercase, underscores, and a
// hyphen in a few such as e_mp_rsassa-pss_in_spki).
var ruleIDPattern = regexp.MustCompile(`^zlint/[a-z0-9]+([_-][a-z0-9]+)*$`)

// Validate reports every way the checks break the rules their metadata
// feeds (SARIF rules, `tlsaudit checks`, --checks): unique well-formed IDs,
// a title, description, remediation, at least one https reference, a known
// severity and a Run function.
func Validate(checks []*Check) error {
	var errs []error
	seen := map[string]bool{}
	for i, c := range checks {
		if c == nil {
			errs = append(errs, fmt.Errorf("check %d is nil", i))
			continue
		}
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("check %q: %s", c.ID, fmt.Sprintf(format, args...)))
		}
		if !idPattern.MatchString(c.ID) {
			bad("ID must be lowercase words joined by hyphens")
		}
		if seen[c.ID] {
			bad("duplicate ID")
		}
		seen[c.ID] = true
		switch {
		case c.Title == "":
			bad("no title")
		case strings.HasSuffix(c.Title, "."):
			bad("title ends with a period")
		case len(c.Title) > 80:
			bad("title longer than 80 characters")
		}
		if c.Description == "" {
			bad("no description")
		}
		if c.Remediation == "" {
			bad("no remediation")
		}
		if len(c.References) == 0 {
			bad("no references")
		}
		for _, r := range c.References {
			if !strings.HasPrefix(r, "https://") {
				bad("reference %q is not an https URL", r)
			}
		}
		if c.Severity < Info || c.Severity > Critical {
			bad("invalid severity %d", c.Severity)
		}
		if c.Run == nil {
			bad("no Run function")
		}
		if c.Rules != nil {
			for _, r := range c.Rules() {
				switch {
				case !ruleIDPattern.MatchString(r.ID) || !strings.HasPrefix(r.ID, c.ID+"/"):
					bad("rule ID %q must be %s/ and a lowercase name", r.ID, c.ID)
				case seen[r.ID]:
					bad("duplicate rule ID %q", r.ID)
				case r.Title == "":
					bad("rule %q has no title", r.ID)
				case r.Severity < Info || r.Severity > Critical:
					bad("rule %q has invalid severity %d", r.ID, r.Severity)
				}
				seen[r.ID] = true
				for _, ref := range r.References {
					if !strings.HasPrefix(ref, "https://") {
						bad("rule %q reference %q is not an https URL", r.ID, ref)
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

// A Selection says which checks run: those matching any Only pattern (all
// when Only is empty) and no Skip pattern. Patterns are check IDs or
// path.Match globs such as "chain-*".
//
// A family rule ("zlint/e_x") is selected by patterns naming it or its
// family ("zlint"), and a family check runs when an Only pattern names it
// or any of its rules ("zlint/e_*").
type Selection struct {
	Only []string
	Skip []string
}

// Empty reports whether the selection is the default (every check).
func (s Selection) Empty() bool { return len(s.Only) == 0 && len(s.Skip) == 0 }

// Allows reports whether the selection runs the check or rule with this
// ID.
func (s Selection) Allows(id string) bool {
	selects := func(p string) bool {
		// A pattern naming one rule of a family runs the family's check.
		return covers(p, id) || !strings.Contains(id, "/") && strings.HasPrefix(p, id+"/")
	}
	if len(s.Only) > 0 && !slices.ContainsFunc(s.Only, selects) {
		return false
	}
	return !slices.ContainsFunc(s.Skip, func(p string) bool { return covers(p, id) })
}

// covers reports whether pattern covers the check or rule id: it matches
// id, or id is a rule ("zlint/e_sub_cert_aia_missing") and it matches the
// rule's family ("zlint"). Check selection and finding acceptance (accept.go)
// read patterns the same way.
func covers(pattern, id string) bool {
	if matchAny(pattern, id) {
		return true
	}
	family, _, isRule := strings.Cut(id, "/")
	return isRule && match(pattern, family)
}

// Names reports whether an Only pattern names id or, for a family, one of
// its rules explicitly ("*" alone does not count): how opt-in checks such
// as zlint tell "asked for by name" from "everything".
func (s Selection) Names(id string) bool {
	return slices.ContainsFunc(s.Only, func(p string) bool {
		p = CurrentID(p)
		return p == id || strings.HasPrefix(p, id+"/")
	})
}

func match(pattern, id string) bool {
	ok, _ := path.Match(pattern, id)
	return ok
}

// ValidatePattern checks that a selection pattern is well formed and names
// at least one of the checks, so a typo in --skip cannot silently run
// everything.
func ValidatePattern(pattern string, checks []*Check) error {
	if _, err := path.Match(pattern, ""); err != nil {
		return fmt.Errorf("bad pattern %s: %w", textsafe.Quote(pattern, 100), err)
	}
	for _, c := range checks {
		if matchAny(pattern, c.ID) {
			return nil
		}
		if c.Rules != nil && strings.HasPrefix(pattern, c.ID+"/") {
			for _, r := range c.Rules() {
				if match(pattern, r.ID) {
					return nil
				}
			}
		}
	}
	return fmt.Errorf("%s matches no check (see `tlsaudit checks`)", textsafe.Quote(pattern, 100))
}
