package checks

import "github.com/tlsaudit/tlsaudit/scanner"

// httpChecks read the HTTP probes: plain-HTTP fallback, plain HTTP on the
// TLS port, and the HSTS header.
func httpChecks() []*scanner.Check {
	return []*scanner.Check{
		HTTPPlaintextFallback,
		TLSPortSpeaksHTTP,
		HSTSMissing,
		HSTSShortMaxAge,
		HSTSMalformed,
	}
}
