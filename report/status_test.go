package report

import (
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// TestStatus pins the result status scheme: "ok" never stands for a
// result whose checks could not all decide.
func TestStatus(t *testing.T) {
	undecided := []scanner.CheckError{{CheckID: "hsts-missing", Err: "no HTTP answer"}}
	finding := []scanner.Finding{{CheckID: "cert-expired", Severity: scanner.Critical}}
	for _, c := range []struct {
		r    scanner.Result
		want string
	}{
		{scanner.Result{}, "ok"},
		{scanner.Result{CheckErrors: undecided}, "undecided"},
		{scanner.Result{Findings: finding, CheckErrors: undecided}, "findings"},
		{scanner.Result{Err: &netx.ScanError{Kind: netx.KindRefused}, CheckErrors: undecided}, "error"},
	} {
		if got := Status(&c.r); got != c.want {
			t.Errorf("%+v: status %q, want %q", c.r, got, c.want)
		}
	}
}
