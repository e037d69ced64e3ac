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
		certDepthChecks(),
		protocolChecks(),
		httpChecks(),
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
		CertMalformed,
		CodePinMismatch,
	}
}

// certDepthChecks look deeper into the chain: key and signature strength,
// lifetime, names, the shape of the served chain, pins, revocation, and
// zlint's issuance rules.
func certDepthChecks() []*scanner.Check {
	return []*scanner.Check{
		KeyWeak,
		SignatureWeak,
		CertLifetimeTooLong,
		CertMissingSAN,
		ChainOrder,
		ChainSendsRoot,
		PinMismatch,
		OCSPRevoked,
		OCSPStapleExpired,
		Zlint,
	}
}

// protocolChecks read the protocol and cipher-suite enumeration and grade
// by the target's Mozilla profile (see tls_profile.go).
func protocolChecks() []*scanner.Check {
	return []*scanner.Check{
		ProtocolSSL3,
		ProtocolTLS10,
		ProtocolTLS11,
		ProtocolNoTLS12,
		ProtocolNoTLS13,
		CipherNull,
		CipherExport,
		CipherAnonymous,
		CipherRC4,
		CipherDES,
		CipherCBCOnly,
		CipherNoForwardSecrecy,
		DHWeakGroup,
		CipherWeakPreferred,
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
