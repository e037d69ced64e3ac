package checks_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/scanner"
)

func TestDebugHTTP(t *testing.T) {
	l := startLab(t)
	s := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver()})
	for _, ep := range l.Endpoints {
		s.ScanTarget(context.Background(), ep.Target(), func(r *scanner.Result) {
			fmt.Printf("== %s err=%v\n", ep.Name, r.Err)
			for _, f := range r.Findings {
				fmt.Printf("  %s %s: %s %v\n", f.Severity, f.CheckID, f.Message, f.Evidence)
			}
			for _, ce := range r.CheckErrors {
				fmt.Printf("  CE %s: %s\n", ce.CheckID, ce.Err)
			}
			if h := r.HTTP; h != nil {
				if h.Plain != nil {
					fmt.Printf("  plain: %s: %s\n", h.Plain.Verdict, h.Plain.Detail)
				}
				if h.HTTPS != nil {
					fmt.Printf("  https: %s verified=%v %s\n", h.HTTPS.StatusLine, h.HTTPS.CertVerified, h.HTTPS.CertError)
				}
			}
		})
	}
}
