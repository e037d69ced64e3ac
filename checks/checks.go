// Package checks holds tlsaudit's checks, one per file. Checks are values
// (scanner.Check) listed explicitly in All: no init-time registration, and
// the list documents what runs.
//
// To add a check: write it in its own file, add it to the list in All,
// give it a lab endpoint where it fires (lab.Endpoint.Want), and run
// `go test ./report -update` to refresh the goldens that list every rule.
package checks

import "github.com/tlsaudit/tlsaudit/scanner"

// All returns every check, in the order reports and `tlsaudit checks`
// list them. It returns a fresh slice each time so callers cannot change
// each other's list.
func All() []*scanner.Check {
	return []*scanner.Check{
		// The shared handshake's chain: validity dates, trust and name.
		CertExpired,
		CertNotYetValid,
		CertExpiringSoon,
		ChainSelfSigned,
		ChainUntrustedRoot,
		ChainIncomplete,
		ChainInvalid,
		ClientIncompatible,
		ATSNoncompliant,
		HostnameMismatch,
		CertMalformed,
		CodePinMismatch,

		// Deeper into the chain: key and signature strength, lifetime,
		// names, the shape of the served chain, pins, revocation, and
		// zlint's issuance rules.
		KeyWeak,
		SignatureWeak,
		CertLifetimeTooLong,
		CertMissingSAN,
		ChainOrder,
		ChainSendsRoot,
		PinMismatch,
		CertRevoked,
		OCSPStapleExpired,
		OCSPMustStapleMissing,
		CTMissing,
		Zlint,

		// The protocol and cipher-suite enumeration, graded by the
		// target's Mozilla profile (see tls_profile.go).
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
		CurveWeak,

		// Known implementation bugs and protocol hygiene (scanner/vuln):
		// probes gated by what the enumeration found accepted.
		Heartbleed,
		CCSInjection,
		ROBOT,
		ProtocolSSL2,
		DROWNSharedKey,
		RenegotiationInsecure,
		RenegotiationClientInitiated,
		Compression,
		FallbackSCSVMissing,
		ExtendedMasterSecretMissing,
		EarlyDataAccepted,

		// The HTTP probes: plain-HTTP fallback, plain HTTP on the TLS
		// port, and the HSTS header.
		HTTPPlaintextFallback,
		TLSPortSpeaksHTTP,
		HSTSMissing,
		HSTSShortMaxAge,
		HSTSMalformed,

		// The plaintext exchange before TLS, for protocols that start in
		// the clear (STARTTLS and the like).
		StartTLSNotOffered,

		// An app's source files (scanner.NeedSource): discover and
		// scan --discover run them once per file. They match the skeleton
		// of each file (comments and string contents blanked), so
		// commented-out code and strings never match.
		CodeTLSVerificationDisabled,
		CodeHostnameVerificationDisabled,
		CodeCleartextAllowed,
		CodeCleartextURL,
		CodeUserCATrusted,
		CodePinning,
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
