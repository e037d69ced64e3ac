package report

import (
	"cmp"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// securitySeverity places each severity in the middle of GitHub's band for
// it (critical over 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9), as
// the string GitHub requires. Info has no band of its own; it sits at the
// bottom of low.
var securitySeverity = map[scanner.Severity]string{
	scanner.Critical: "9.5",
	scanner.High:     "8.0",
	scanner.Medium:   "5.5",
	scanner.Low:      "3.0",
	scanner.Info:     "1.0",
}

// sarifLevel maps a severity to a SARIF level: what fails a build (error),
// what should be looked at (warning), and the rest (note).
func sarifLevel(s scanner.Severity) string {
	switch {
	case s >= scanner.High:
		return sarif.LevelError
	case s == scanner.Medium:
		return sarif.LevelWarning
	}
	return sarif.LevelNote
}

// maxDescription is GitHub's limit on fullDescription.text.
const maxDescription = 1024

// rule describes a check as a SARIF reporting descriptor: the text GitHub
// shows next to every alert of the check.
func rule(c *scanner.Check) *sarif.ReportingDescriptor {
	tags := []string{"security", "tls"}
	if c.CWE > 0 {
		tags = append(tags, fmt.Sprintf("external/cwe/cwe-%d", c.CWE))
	}
	props := sarif.NewPropertyBag().WithTags(tags)
	props.Add("security-severity", securitySeverity[c.Severity])
	props.Add("precision", "very-high") // observed on the wire, not inferred
	r := sarif.NewRule(c.ID).
		WithName(ruleName(c.ID)).
		WithShortDescription(sarif.NewMultiformatMessageString().WithText(c.Title)).
		WithFullDescription(sarif.NewMultiformatMessageString().WithText(truncate(c.Description, maxDescription))).
		WithHelp(sarif.NewMultiformatMessageString().WithText(helpText(c)).WithMarkdown(helpMarkdown(c))).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(c.Severity))).
		WithProperties(props)
	if len(c.References) > 0 {
		r.WithHelpURI(c.References[0])
	}
	return r
}

// helpText is the plain-text help: what it means and why it matters, how
// to fix it, and the references.
func helpText(c *scanner.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (severity %s", c.Title, c.Severity)
	if c.Scheme != "" {
		fmt.Fprintf(&b, ", per %s", c.Scheme)
	}
	if c.CWE > 0 {
		fmt.Fprintf(&b, ", CWE-%d", c.CWE)
	}
	fmt.Fprintf(&b, ")\n\nWhat it means and why it matters:\n%s\n\nHow to fix:\n%s\n", c.Description, c.Remediation)
	if len(c.References) > 0 {
		b.WriteString("\nReferences:\n")
		for _, ref := range c.References {
			fmt.Fprintf(&b, "- %s\n", ref)
		}
	}
	return b.String()
}

func helpMarkdown(c *scanner.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (severity %s", c.Title, c.Severity)
	if c.Scheme != "" {
		fmt.Fprintf(&b, ", per %s", c.Scheme)
	}
	fmt.Fprintf(&b, ")\n\n### What it means and why it matters\n\n%s\n\n### How to fix\n\n%s\n", c.Description, c.Remediation)
	if len(c.References) > 0 || c.CWE > 0 {
		b.WriteString("\n### References\n\n")
		if c.CWE > 0 {
			fmt.Fprintf(&b, "- [CWE-%d](https://cwe.mitre.org/data/definitions/%d.html)\n", c.CWE, c.CWE)
		}
		for _, ref := range c.References {
			fmt.Fprintf(&b, "- <%s>\n", ref)
		}
	}
	return b.String()
}

// ruleName is the rule's PascalCase name ("cert-expired" → CertExpired),
// the form SARIF viewers expect in `name`.
func ruleName(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// familyRuleCheck describes a family rule (a zlint lint, "zlint/NAME") as
// a check, for a full SARIF rule: the rule's own title, severity,
// description, citation and references, with the family's remediation and
// CWE.
func familyRuleCheck(family *scanner.Check, r scanner.Rule) *scanner.Check {
	desc := cmp.Or(r.Description, r.Title)
	if r.Citation != "" {
		desc += " (" + r.Citation
		if r.Source != "" {
			desc += ", " + r.Source
		}
		desc += ")"
	}
	refs := r.References
	if len(refs) == 0 {
		refs = family.References
	}
	return &scanner.Check{
		ID:          r.ID,
		Title:       r.Title,
		Severity:    cmp.Or(r.Severity, family.Severity),
		Description: desc,
		Remediation: family.Remediation,
		References:  refs,
		CWE:         family.CWE,
		Scheme:      family.Scheme,
	}
}

// unknownRuleCheck describes a finding ID that no check or family rule
// does (a rule a newer zlint added, a check not in this build's list), so
// that no result is ever without a rule: what the family says if the ID
// names one, else only the ID, at the worst severity its findings had.
func unknownRuleCheck(id string, family *scanner.Check, worst scanner.Severity) *scanner.Check {
	if family != nil {
		d := *family
		d.ID, d.Severity, d.Rules = id, worst, nil
		d.Title = family.Title + ": " + strings.TrimPrefix(id, family.ID+"/")
		d.Description = fmt.Sprintf("%s\n\nThis rule covers the findings %s reports under the ID %s.", family.Description, family.ID, id)
		return &d
	}
	return &scanner.Check{
		ID:          id,
		Title:       "Finding " + id,
		Severity:    worst,
		Description: "Findings reported under the ID " + id + ". The finding's message says what was found.",
		Remediation: "See the finding's message.",
	}
}
