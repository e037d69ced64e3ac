package httpprobe_test

import (
	"context"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// BenchmarkHTTPProbes measures what the HTTP probes add to a target's scan
// on loopback: the checks that read only the shared handshake against
// those plus the HTTP checks (one HTTPS request and the plain-HTTP probe).
// Enumeration checks are left out of both: their cost is their own.
func BenchmarkHTTPProbes(b *testing.B) {
	l, err := lab.Start(lab.Options{Only: []string{"good", "plain-http-redirect", "plain-http-200"}})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	var certOnly, withHTTP []*scanner.Check
	for _, c := range checks.All() {
		switch {
		case c.Needs&scanner.NeedEnumeration != 0:
		case c.Needs&scanner.NeedHTTP == 0:
			certOnly = append(certOnly, c)
			withHTTP = append(withHTTP, c)
		default:
			withHTTP = append(withHTTP, c)
		}
	}
	for _, name := range []string{"good", "plain-http-redirect", "plain-http-200"} {
		for _, set := range []struct {
			name   string
			checks []*scanner.Check
		}{{"handshake-checks", certOnly}, {"with-http-checks", withHTTP}} {
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
