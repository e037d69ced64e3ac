package scanner

import "testing"

// TestRenamedCheckID: the former ID of a renamed check still selects,
// skips, validates and accepts it, as a pattern or inside a glob.
func TestRenamedCheckID(t *testing.T) {
	checks := []*Check{{ID: "cert-revoked"}, {ID: "cert-expired"}}
	for _, p := range []string{"ocsp-revoked", "ocsp-*"} {
		if err := ValidatePattern(p, checks); err != nil {
			t.Errorf("ValidatePattern(%q): %v", p, err)
		}
		if !(Selection{Only: []string{p}}).Allows("cert-revoked") {
			t.Errorf("--checks %s does not run cert-revoked", p)
		}
		if (Selection{Only: []string{p}}).Allows("cert-expired") {
			t.Errorf("--checks %s runs cert-expired", p)
		}
		if (Selection{Skip: []string{p}}).Allows("cert-revoked") {
			t.Errorf("--skip %s runs cert-revoked", p)
		}
		a := Acceptance{Check: p}
		if !a.Matches("cert-revoked") || a.Matches("cert-expired") {
			t.Errorf("accept %s: matches cert-revoked %v, cert-expired %v", p, a.Matches("cert-revoked"), a.Matches("cert-expired"))
		}
	}
	if !(Selection{Only: []string{"ocsp-revoked"}}).Names("cert-revoked") {
		t.Error("--checks ocsp-revoked does not name cert-revoked")
	}
	if CurrentID("ocsp-revoked") != "cert-revoked" || CurrentID("cert-expired") != "cert-expired" {
		t.Error("CurrentID")
	}
}
