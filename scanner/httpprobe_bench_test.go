package scanner_test

import (
	"context"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// BenchmarkHTTPProbes measures what the HTTP probes add to a target's scan
// on loopback: the certificate checks alone (one handshake) against every
// check (plus one HTTPS request and the plain-HTTP probe).
func BenchmarkHTTPProbes(b *testing.B) {
	l, err := lab.Start(lab.Options{Only: []string{"good", "plain-http-redirect", "plain-http-200"}})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	var certOnly []*scanner.Check
	for _, c := range checks.All() {
		if c.Needs&scanner.NeedHTTP == 0 {
			certOnly = append(certOnly, c)
		}
	}
	for _, name := range []string{"good", "plain-http-redirect", "plain-http-200"} {
		for _, set := range []struct {
			name   string
			checks []*scanner.Check
		}{{"cert-checks", certOnly}, {"all-checks", checks.All()}} {
			b.Run(name+"/"+set.name, func(b *testing.B) {
				s := scanner.New(scanner.Options{Checks: set.checks, Resolver: l.Resolver()})
				t := l.Endpoint(name).Target()
				for b.Loop() {
					s.ScanTarget(context.Background(), t, func(*scanner.Result) {})
				}
			})
		}
	}
}
