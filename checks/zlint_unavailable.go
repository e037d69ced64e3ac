//go:build nozcrypto || windows

package checks

import (
	"fmt"
	"runtime"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// ZlintAvailable says whether this build has zlint (see zlint.go): here it
// has not, so the zlint check keeps its ID, so that targets files and
// baselines naming it still load, lists no rules, and tells a target that
// asks for zlint that it cannot decide, rather than passing silently.
const ZlintAvailable = false

const zlintFamily = "zlint"

// Zlint stands in for zlint's certificate lints in builds without zlint.
var Zlint = &scanner.Check{
	ID:       zlintFamily,
	Title:    "Certificate breaks an issuance rule zlint checks (not in this build)",
	Severity: scanner.Medium,
	Description: "Runs zlint (github.com/zmap/zlint) over the leaf and every intermediate the server sends. " +
		"This build of tlsaudit (" + runtime.GOOS + "/" + runtime.GOARCH + ") has no zlint, because the " +
		"certificate library zlint needs does not build here without cgo: a target that asks for zlint " +
		"gets a check error saying so. Use a linux or darwin build to run the lints.",
	Remediation: "Run the zlint lints with a linux or darwin build of tlsaudit.",
	References:  []string{"https://github.com/zmap/zlint"},
	Needs:       scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		if len(p.Target.Zlint) == 0 && !p.Target.Checks.Names(zlintFamily) {
			return nil
		}
		return fmt.Errorf("zlint could not run: this build of tlsaudit (%s/%s) has no zlint; use a linux or darwin build",
			runtime.GOOS, runtime.GOARCH)
	},
	Rules: ZlintRules,
}

// ZlintRules is empty: this build knows no zlint lints.
func ZlintRules() []scanner.Rule { return nil }

// ZlintRule finds no rule: this build knows no zlint lints.
func ZlintRule(string) (scanner.Rule, bool) { return scanner.Rule{}, false }

// ZlintSources is empty: this build knows no zlint lint sources.
func ZlintSources() []string { return nil }
