package grade_test

import (
	"context"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// TestLabGrades scans lab endpoints built to land on each kind of grade:
// a current configuration (A+ with HSTS, A without), caps (TLS 1.0 only →
// C, RC4 → C, RSA-1024 → B, missing intermediate a browser can fetch → B),
// failures (revoked, NULL → F) and trust (T, M, with the grade beside).
func TestLabGrades(t *testing.T) {
	want := map[string][2]string{
		"good":             {"A+", ""},
		"no-hsts":          {"A", ""},
		"tls10-only":       {"C", ""},
		"rc4":              {"C", ""},
		"rsa-1024":         {"B", ""},
		"static-rsa-only":  {"B", ""},
		"incomplete-chain": {"B", ""},
		"ocsp-revoked":     {"F", ""},
		"null":             {"F", ""},
		"expired":          {"T", "A"},
		"unknown-root":     {"T", "A"},
		"wrong-host":       {"M", "A"},
	}
	var only []string
	for name := range want {
		only = append(only, name)
	}
	l, err := lab.Start(lab.Options{Only: only})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	s := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver()})
	for _, ep := range l.Endpoints {
		t.Run(ep.Name, func(t *testing.T) {
			t.Parallel()
			var r *scanner.Result
			s.ScanTarget(context.Background(), ep.Target(), func(res *scanner.Result) { r = res })
			if r == nil || r.Grade == nil {
				t.Fatalf("no grade (result %+v)", r)
			}
			w := want[ep.Name]
			if r.Grade.Letter != w[0] || r.Grade.IgnoringTrust != w[1] {
				t.Errorf("grade %q (ignoring trust %q), want %q (%q); reasons %q, ungraded %q",
					r.Grade.Letter, r.Grade.IgnoringTrust, w[0], w[1], r.Grade.Reasons, r.Grade.Ungraded)
			}
		})
	}
}
