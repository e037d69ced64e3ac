package lab_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// TestMissingIntermediateFromAnotherTarget: a server that omits its
// intermediate, with a leaf that names no issuer URL, is chain-incomplete
// naming the intermediate once another target of the same scan sent it;
// scanned on its own it stays chain-untrusted-root (nothing says the root
// is known).
func TestMissingIntermediateFromAnotherTarget(t *testing.T) {
	l, err := lab.Start(lab.Options{Endpoints: lab.SharedIntermediateEndpoints()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	full, omits := l.Endpoint("pki-full-chain"), l.Endpoint("pki-omits-intermediate")
	scan := func(s *scanner.Scanner, ep *lab.Running) *scanner.Result {
		var r *scanner.Result
		s.ScanTarget(context.Background(), ep.Target(), func(res *scanner.Result) { r = res })
		return r
	}
	fired := func(r *scanner.Result) (ids []string, msg string) {
		for _, f := range r.Findings {
			ids = append(ids, f.CheckID)
			if strings.HasPrefix(f.CheckID, "chain-") {
				msg = f.Message
			}
		}
		return ids, msg
	}

	alone := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver()})
	if ids, _ := fired(scan(alone, omits)); strings.Join(ids, ",") != "chain-untrusted-root" {
		t.Errorf("scanned alone: fired %v, want chain-untrusted-root", ids)
	}

	s := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver()})
	if msg := lab.Mismatch(full.Endpoint, scan(s, full)); msg != "" {
		t.Fatalf("pki-full-chain: %s", msg)
	}
	r := scan(s, omits)
	if msg := lab.Mismatch(omits.Endpoint, r); msg != "" {
		t.Fatalf("pki-omits-intermediate after pki-full-chain: %s", msg)
	}
	if _, msg := fired(r); !strings.Contains(msg, "tlsaudit lab intermediate CA") {
		t.Errorf("chain-incomplete does not name the missing intermediate: %q", msg)
	}
}
