package report

import (
	"slices"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// TestFromJSONKeepsDecisions: what the gate, the summary and SARIF rest
// on survives a report's round trip: an app's source tree and the source
// lines naming a host, and each check error's weight and acceptance.
func TestFromJSONKeepsDecisions(t *testing.T) {
	lines := []fileloc.Location{{File: "app/lib/config.dart", Line: 4}, {File: "app/web/api.js", Line: 5}}
	for _, r := range []*scanner.Result{
		{Target: &scanner.Target{Name: "app (source)", SourceTree: "app"}, Findings: []scanner.Finding{
			{CheckID: "code-tls-verification-disabled", Severity: scanner.High, Message: "verification off", Location: lines[0]},
		}},
		{Target: &scanner.Target{Name: "api.example.com:443", Host: "api.example.com", Port: 443, ServerName: "api.example.com", Sources: lines},
			Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
			CheckErrors: []scanner.CheckError{
				{CheckID: "hsts-missing", Err: "no HTTP answer", Severity: scanner.Medium, Accepted: true},
				{CheckID: "zlint", Err: "lint failed", Severity: scanner.Low},
			}},
	} {
		back := FromJSON(ToJSON(r, nil))
		if back.Target.SourceTree != r.Target.SourceTree || !slices.Equal(back.Target.Sources, r.Target.Sources) {
			t.Errorf("%s: target %+v, want source tree %q and sources %v", r.Target.Name, back.Target, r.Target.SourceTree, r.Target.Sources)
		}
		if !slices.Equal(back.CheckErrors, r.CheckErrors) {
			t.Errorf("%s: check errors %+v, want %+v", r.Target.Name, back.CheckErrors, r.CheckErrors)
		}
		for i := range r.Findings {
			if want, got := identityOf(r.Target, &r.Findings[i]), identityOf(back.Target, &back.Findings[i]); got != want {
				t.Errorf("%s: identity %+v, want %+v", r.Target.Name, got, want)
			}
		}
	}
}
