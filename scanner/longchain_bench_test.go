package scanner_test

import (
	"context"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// BenchmarkLongChain scans the lab's long-chain endpoint (its chain plus
// 250 unrelated self-signed certificates) with every default check, next
// to the good endpoint: what a hostile chain costs the client beyond an
// ordinary scan. Chain walking is by name and key identifier, so the
// extra certificates cost parsing and byte comparisons, no signatures.
func BenchmarkLongChain(b *testing.B) {
	l := startLab(b, "good", "long-chain")
	s := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver()})
	for _, name := range []string{"good", "long-chain"} {
		tg := l.Endpoint(name).Target()
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.ScanTarget(context.Background(), tg, func(r *scanner.Result) {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				})
			}
		})
	}
}
