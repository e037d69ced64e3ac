package scanner_test

import (
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner"
)

func TestSelectionFamilies(t *testing.T) {
	cases := []struct {
		sel  scanner.Selection
		id   string
		want bool
	}{
		{scanner.Selection{}, "zlint", true},
		{scanner.Selection{}, "zlint/e_x", true},
		{scanner.Selection{Only: []string{"zlint/*"}}, "zlint", true},
		{scanner.Selection{Only: []string{"zlint/*"}}, "zlint/e_x", true},
		{scanner.Selection{Only: []string{"zlint/*"}}, "cert-expired", false},
		{scanner.Selection{Only: []string{"zlint/e_*"}}, "zlint/w_x", false},
		{scanner.Selection{Only: []string{"zlint"}}, "zlint/w_x", true},
		{scanner.Selection{Only: []string{"cert-*"}}, "zlint", false},
		{scanner.Selection{Only: []string{"cert-*"}}, "zlint/e_x", false},
		{scanner.Selection{Skip: []string{"zlint"}}, "zlint", false},
		{scanner.Selection{Skip: []string{"zlint"}}, "zlint/e_x", false},
		{scanner.Selection{Skip: []string{"zlint/w_*"}}, "zlint/w_x", false},
		{scanner.Selection{Skip: []string{"zlint/w_*"}}, "zlint/e_x", true},
		{scanner.Selection{Skip: []string{"*"}}, "zlint/e_x", false},
		{scanner.Selection{Only: []string{"cert-expired/x"}}, "cert-expired", true},
	}
	for _, c := range cases {
		if got := c.sel.Allows(c.id); got != c.want {
			t.Errorf("%+v.Allows(%q) = %v, want %v", c.sel, c.id, got, c.want)
		}
	}
	if !(scanner.Selection{Only: []string{"zlint/e_x"}}).Names("zlint") || (scanner.Selection{Only: []string{"*"}}).Names("zlint") {
		t.Error("Names must hold for zlint rules named explicitly, and only then")
	}
}

func family(rules ...scanner.Rule) *scanner.Check {
	return &scanner.Check{
		ID: "zlint", Title: "t", Severity: scanner.Medium, Description: "d", Remediation: "r",
		References: []string{"https://example.test/"}, Run: func(*scanner.Pass) error { return nil },
		Rules: func() []scanner.Rule { return rules },
	}
}

func TestValidateRules(t *testing.T) {
	ok := scanner.Rule{ID: "zlint/e_mp_rsassa-pss_in_spki", Title: "t", Severity: scanner.Medium, References: []string{"https://example.test/"}}
	if err := scanner.Validate([]*scanner.Check{family(ok)}); err != nil {
		t.Fatal(err)
	}
	bad := map[string]scanner.Rule{
		"not in the namespace": {ID: "other/e_x", Title: "t", Severity: scanner.Low},
		"uppercase":            {ID: "zlint/E_X", Title: "t", Severity: scanner.Low},
		"no title":             {ID: "zlint/e_x", Severity: scanner.Low},
		"no severity":          {ID: "zlint/e_x", Title: "t"},
		"http reference":       {ID: "zlint/e_x", Title: "t", Severity: scanner.Low, References: []string{"http://x"}},
	}
	for name, r := range bad {
		if err := scanner.Validate([]*scanner.Check{family(r)}); err == nil {
			t.Errorf("%s: rule %+v passed validation", name, r)
		}
	}
	if err := scanner.Validate([]*scanner.Check{family(ok, ok)}); err == nil {
		t.Error("duplicate rule IDs passed validation")
	}
	checks := []*scanner.Check{family(ok)}
	for _, p := range []string{"zlint/*", "zlint/e_mp_*", "zlint"} {
		if err := scanner.ValidatePattern(p, checks); err != nil {
			t.Errorf("pattern %q: %v", p, err)
		}
	}
	if err := scanner.ValidatePattern("zlint/w_*", checks); err == nil {
		t.Error("a pattern naming no rule passed")
	}
}
