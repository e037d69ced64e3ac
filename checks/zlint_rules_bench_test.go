//go:build !nozcrypto && !windows

package checks_test

import (
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
)

// BenchmarkZlintRules measures listing zlint's rules, which selection
// patterns naming zlint rules, `tlsaudit checks` and SARIF rule lists do.
func BenchmarkZlintRules(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if len(checks.ZlintRules()) == 0 {
			b.Fatal("no rules")
		}
	}
}

// BenchmarkZlintRule measures looking one rule up by ID.
func BenchmarkZlintRule(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := checks.ZlintRule("zlint/e_sub_cert_aia_missing"); !ok {
			b.Fatal("no rule")
		}
	}
}
