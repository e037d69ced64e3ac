package cli

import (
	"slices"
	"strings"
	"testing"
)

// TestCertOnly: --cert-only runs the certificate checks alone, with
// neither enumeration nor HTTP probes, and keeps every certificate
// finding the default audit reports.
func TestCertOnly(t *testing.T) {
	path, _ := labFile(t, "good", "tls10-only", "expired", "static-rsa-only")
	scan := func(extra ...string) map[string][]string {
		t.Helper()
		code, out, errOut := run(t, "", append([]string{"scan", "-f", path, "--format", "json", "--fail-on", "none"}, extra...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		found := map[string][]string{}
		for _, r := range parseDoc(t, out).Results {
			if extra != nil && (r.Enumeration != nil || r.HTTP != nil) {
				t.Errorf("%s: --cert-only ran enumeration or HTTP probes: %+v %+v", r.Name, r.Enumeration, r.HTTP)
			}
			found[r.Name] = findingIDs(r)
		}
		return found
	}
	all, certOnly := scan(), scan("--cert-only")
	for name, ids := range all {
		var want []string
		for _, id := range ids {
			if !strings.HasPrefix(id, "protocol-") && !strings.HasPrefix(id, "cipher-") && !strings.HasPrefix(id, "dh-") &&
				!strings.HasPrefix(id, "http") && !strings.HasPrefix(id, "hsts") {
				want = append(want, id)
			}
		}
		if got := certOnly[name]; !slices.Equal(got, want) {
			t.Errorf("%s: --cert-only findings %v, want %v (of %v)", name, got, want, ids)
		}
	}
	if len(all["tls10-only"]) == 0 || len(all["expired"]) == 0 {
		t.Fatalf("the lab's endpoints fire nothing by default: %v", all)
	}
}
