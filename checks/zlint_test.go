//go:build !nozcrypto && !windows

package checks_test

import (
	"crypto/x509"
	"encoding/asn1"
	"slices"
	"strings"
	"testing"

	zx509 "github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3"
	"github.com/zmap/zlint/v3/lint"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
)

func TestZlintRules(t *testing.T) {
	rules := checks.ZlintRules()
	var problems int // e_ and w_ lints: notices (n_) can never be findings, so they are no rules
	for _, l := range lint.GlobalRegistry().CertificateLints().Lints() {
		if !strings.HasPrefix(l.Name, "n_") {
			problems++
		}
	}
	if len(rules) != problems || problems < 300 {
		t.Fatalf("%d rules for %d error and warning lints", len(rules), problems)
	}
	if !slices.IsSortedFunc(rules, func(a, b scanner.Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("rules are not sorted by ID")
	}
	for _, r := range rules {
		name := strings.TrimPrefix(r.ID, "zlint/")
		want := map[byte]scanner.Severity{'e': scanner.Medium, 'w': scanner.Low}[name[0]]
		if r.Severity != want {
			t.Errorf("%s: severity %v, want %v", r.ID, r.Severity, want)
		}
		if len(r.Title) == 0 || len([]rune(r.Title)) > 80 || strings.HasSuffix(r.Title, ".") {
			t.Errorf("%s: title %q", r.ID, r.Title)
		}
		if len(r.References) == 0 {
			t.Errorf("%s: no references", r.ID)
		}
	}
	aia, ok := checks.ZlintRule("zlint/e_sub_cert_aia_missing")
	if !ok || aia.Source != "CABF_BR" || aia.Citation != "BRs: 7.1.2.3" || aia.Severity != scanner.Medium ||
		!slices.Contains(aia.References, "https://cabforum.org/working-groups/server/baseline-requirements/requirements/") {
		t.Errorf("e_sub_cert_aia_missing = %+v", aia)
	}
	ku, ok := checks.ZlintRule("zlint/e_ext_key_usage_cert_sign_without_ca")
	if !ok || ku.Source != "RFC5280" || !slices.Contains(ku.References, "https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.3") {
		t.Errorf("e_ext_key_usage_cert_sign_without_ca = %+v", ku)
	}
	if _, ok := checks.ZlintRule("zlint/n_subject_common_name_included"); ok {
		t.Error("a notice lint is a rule, but notices are never reported")
	}
	if _, ok := checks.ZlintRule("zlint/e_no_such_lint"); ok {
		t.Error("unknown lint found")
	}
	if _, ok := checks.ZlintRule("e_sub_cert_aia_missing"); ok {
		t.Error("lint found without the zlint/ prefix")
	}
	if src := checks.ZlintSources(); !slices.Contains(src, "RFC5280") || !slices.Contains(src, "CABF_BR") {
		t.Errorf("sources %v", src)
	}
}

// zlintLeaf is the lab's zlint endpoint certificate: a leaf allowed to
// sign certificates though it is no CA.
func zlintLeaf(t testing.TB, p *lab.PKI) *x509.Certificate {
	c, err := p.Issue(lab.CertSpec{CN: "zlint.example.test", Names: []string{"zlint.example.test"}, Issuer: p.Inter,
		Tweak: func(c *x509.Certificate) { c.KeyUsage |= x509.KeyUsageCertSign }})
	if err != nil {
		t.Fatal(err)
	}
	return c.Cert
}

func TestZlintSelection(t *testing.T) {
	p := newPKI(t)
	chain := []*x509.Certificate{zlintLeaf(t, p), p.Inter.Cert, p.Root.Cert}
	rfc5280 := []string{
		"zlint/e_ext_key_usage_cert_sign_without_ca",
		"zlint/e_key_usage_and_extended_key_usage_inconsistent",
		"zlint/w_ext_subject_key_identifier_missing_sub_cert",
	}
	cases := []struct {
		name    string
		sources []string
		sel     scanner.Selection
		want    []string // nil: exactly these; see contains
		contain string
	}{
		{name: "off by default"},
		{name: "RFC 5280 lints", sources: []string{"RFC5280"}, want: rfc5280},
		{name: "source names are case-insensitive; warnings skipped", sources: []string{"rfc5280"},
			sel: scanner.Selection{Skip: []string{"zlint/w_*"}}, want: rfc5280[:2]},
		{name: "naming a rule in --checks turns it on", sel: scanner.Selection{Only: []string{"zlint/e_ext_key_usage_cert_sign_without_ca"}}, want: rfc5280[:1]},
		{name: "--checks without zlint rules keeps it off", sources: nil, sel: scanner.Selection{Only: []string{"*"}}},
		{name: "a source without findings", sources: []string{"ETSI_ESI"}},
		{name: "all sources", sources: []string{"all"}, contain: "zlint/e_sub_cert_certificate_policies_missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := &scanner.Target{ServerName: "zlint.example.test", Zlint: c.sources, Checks: c.sel}
			fs, err := run(checks.Zlint, target, nil, chain...)
			if err != nil {
				t.Fatal(err)
			}
			got := ids(fs)
			slices.Sort(got)
			if c.contain != "" {
				if !slices.Contains(got, c.contain) || !slices.Contains(got, rfc5280[0]) {
					t.Errorf("fired %v, want it to include %s", got, c.contain)
				}
				return
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("fired %v, want %v", got, c.want)
			}
			for _, f := range fs {
				want := scanner.Medium
				if strings.HasPrefix(f.CheckID, "zlint/w_") {
					want = scanner.Low
				}
				if f.Severity != want || !strings.HasPrefix(f.Message, "the leaf certificate breaks "+strings.TrimPrefix(f.CheckID, "zlint/")) ||
					f.Evidence["source"] != "RFC5280" || f.Evidence["citation"] == "" {
					t.Errorf("finding %+v", f)
				}
			}
		})
	}
}

// BenchmarkZlint measures what zlint costs per certificate: parsing the
// DER with zcrypto and running every certificate lint (all) or the RFC
// 5280 ones, on a lab leaf.
func BenchmarkZlint(b *testing.B) {
	p, err := lab.NewPKI(testNow)
	if err != nil {
		b.Fatal(err)
	}
	der := zlintLeaf(b, p).Raw
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := zx509.ParseCertificate(der); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("all-lints", func(b *testing.B) {
		for b.Loop() {
			zc, _ := zx509.ParseCertificate(der)
			zlint.LintCertificate(zc)
		}
	})
	b.Run("check-all-sources", func(b *testing.B) {
		target := &scanner.Target{Zlint: []string{"all"}}
		chain := []*x509.Certificate{zlintLeaf(b, p)}
		for b.Loop() {
			_, _ = run(checks.Zlint, target, nil, chain...)
		}
	})
	b.Run("check-RFC5280", func(b *testing.B) {
		target := &scanner.Target{Zlint: []string{"RFC5280"}}
		chain := []*x509.Certificate{zlintLeaf(b, p)}
		for b.Loop() {
			_, _ = run(checks.Zlint, target, nil, chain...)
		}
	})
}

// TestZlintFindingSeverityIsTheRules: a finding carries its rule's
// severity even when the lint returns the other status (e_sub_cert_eku_check
// warns about an extra usage), so SARIF rules and results agree.
func TestZlintFindingSeverityIsTheRules(t *testing.T) {
	p := newPKI(t)
	leaf := issue(t, p, lab.CertSpec{Tweak: func(c *x509.Certificate) {
		c.UnknownExtKeyUsage = []asn1.ObjectIdentifier{{1, 3, 6, 1, 4, 1, 32473, 9}} // example arc
	}})
	target := &scanner.Target{ServerName: "api.example.test", Zlint: []string{"all"}}
	fs, err := run(checks.Zlint, target, nil, leaf.Cert, p.Inter.Cert)
	if err != nil {
		t.Fatal(err)
	}
	var eku bool
	for _, f := range fs {
		r, ok := checks.ZlintRule(f.CheckID)
		if !ok {
			t.Errorf("finding under unknown rule %s", f.CheckID)
			continue
		}
		if f.Severity != r.Severity {
			t.Errorf("%s: finding %v, rule %v (lint said %s)", f.CheckID, f.Severity, r.Severity, f.Evidence["status"])
		}
		eku = eku || f.CheckID == "zlint/e_sub_cert_eku_check" && f.Evidence["status"] == "warn"
	}
	if !eku {
		t.Errorf("e_sub_cert_eku_check did not warn about the extra usage: %v", ids(fs))
	}
}
