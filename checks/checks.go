// Package checks holds tlsaudit's checks, one per file. Checks are values
// (scanner.Check) listed explicitly in All: no init-time registration, and
// the list documents what runs.
//
// To add a check: write it in its own file, list it in its group below,
// give it a lab endpoint where it fires (lab.Endpoint.Want), and run
// `go test ./report -update` to refresh the goldens that list every rule.
package checks

import (
	"slices"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// All returns every check, grouped by what they examine. It returns a
// fresh slice each time so callers cannot change each other's list.
func All() []*scanner.Check {
	return slices.Concat(
		certificateChecks(),
		codeChecks(),
	)
}

// certificateChecks read the shared handshake's chain: validity dates,
// trust and name.
func certificateChecks() []*scanner.Check {
	return []*scanner.Check{
		CertExpired,
		CertNotYetValid,
		CertExpiringSoon,
		ChainSelfSigned,
		ChainUntrustedRoot,
		ChainIncomplete,
		ChainInvalid,
		HostnameMismatch,
		CodePinMismatch,
	}
}

// ByID returns the check with this ID, or nil.
func ByID(id string) *scanner.Check {
	for _, c := range All() {
		if c.ID == id {
			return c
		}
	}
	return nil
}
