package targets

import (
	"testing"
	"time"
)

func TestAcceptLoads(t *testing.T) {
	p := write(t, "t.yaml", `defaults:
  accept:
    - check: cert-expiring-soon
      until: 2027-01-31
      reason: renewals are batched monthly
targets:
  - host: a.example
    accept:
      - check: "chain-*"
        until: "2026-12-31"
        reason: internal CA, trusted by the app itself
  - host: b.example
`)
	f, err := Load(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	a, b := f.Targets[0], f.Targets[1]
	if len(a.Accept) != 2 || len(b.Accept) != 1 {
		t.Fatalf("a accepts %+v, b accepts %+v; defaults and own entries should add up", a.Accept, b.Accept)
	}
	got := a.Accept[1]
	if got.Check != "chain-*" || !got.Until.Equal(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)) ||
		got.Reason != "internal CA, trusted by the app itself" || got.Source.Line != 9 || got.Source.Column != 9 {
		t.Errorf("a.Accept[1] = %+v", got)
	}
	if !got.Matches("chain-incomplete") || got.Matches("cert-expired") {
		t.Error("glob does not match as it should")
	}
	if b.Accept[0].Check != "cert-expiring-soon" || b.Accept[0].Source.Line != 3 {
		t.Errorf("b.Accept = %+v", b.Accept)
	}
}

func TestAcceptErrors(t *testing.T) {
	head := "targets:\n  - host: a.example\n    accept:\n"
	cases := []struct{ name, yaml, want string }{
		{"missing reason", head + "      - check: cert-expired\n        until: 2026-12-31\n",
			"t.yaml:4:9: accept: reason missing: say why the risk is accepted"},
		{"missing until", head + "      - check: cert-expired\n        reason: known\n",
			"t.yaml:4:9: accept: until missing: every acceptance needs an end date"},
		{"missing check", head + "      - until: 2026-12-31\n        reason: known\n",
			"t.yaml:4:9: accept: check missing"},
		{"unknown check", head + "      - check: cert-expird\n        until: 2026-12-31\n        reason: known\n",
			`t.yaml:4:16: check: "cert-expird" matches no check`},
		{"unknown family rule", head + "      - check: zlint/e_no_such_lint\n        until: 2026-12-31\n        reason: known\n",
			`t.yaml:4:16: check: "zlint/e_no_such_lint" matches no check`},
		{"bad date", head + "      - check: cert-expired\n        until: next week\n        reason: known\n",
			`t.yaml:5:16: until: expected a date such as 2026-12-31, got "next week"`},
		{"time not date", head + "      - check: cert-expired\n        until: 2026-12-31T10:00:00Z\n        reason: known\n",
			`t.yaml:5:16: until: expected a date such as 2026-12-31`},
		{"empty reason", head + "      - check: cert-expired\n        until: 2026-12-31\n        reason: ' '\n",
			"t.yaml:6:17: reason: must not be empty"},
		{"unknown field", head + "      - check: cert-expired\n        until: 2026-12-31\n        reson: x\n",
			`t.yaml:6:9: reson: unknown field (did you mean "reason"?)`},
		{"not a list", head + "      check: cert-expired\n",
			"t.yaml:4:7: accept: expected a list of {check, until, reason}, got a mapping"},
		{"item not a mapping", head + "      - cert-expired\n",
			`t.yaml:4:9: accept: expected a mapping of field: value, got "cert-expired"`},
	}
	checkLoadErrors(t, cases)
}

// TestAcceptFamilyRules checks that a family's rules (zlint lints) and the
// family itself can be accepted.
func TestAcceptFamilyRules(t *testing.T) {
	p := write(t, "t.yaml", "targets:\n  - host: a.example\n    accept:\n      - check: zlint/e_sub_cert_aia_missing\n        until: 2026-12-31\n        reason: CA issue, ticket 7\n      - check: zlint\n        until: 2026-12-31\n        reason: private CA\n")
	f, err := Load(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	if a := f.Targets[0].Accept; len(a) != 2 || a[0].Check != "zlint/e_sub_cert_aia_missing" || !a[1].Matches("zlint/w_anything") {
		t.Errorf("accept = %+v", a)
	}
}

// TestAcceptRenamedCheck: an accept: entry naming ocsp-revoked, the
// former ID of cert-revoked, loads and covers cert-revoked findings.
func TestAcceptRenamedCheck(t *testing.T) {
	p := write(t, "t.yaml", `targets:
  - host: a.example
    accept:
      - check: ocsp-revoked
        until: 2027-01-31
        reason: replacement certificate ordered
`)
	f, err := Load(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	if a := f.Targets[0].Accept; len(a) != 1 || !a[0].Matches("cert-revoked") {
		t.Errorf("accept %+v does not cover cert-revoked", a)
	}
}
