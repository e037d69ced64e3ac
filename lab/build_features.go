package lab

import (
	"slices"

	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// Builds without zcrypto (windows, darwin/arm64 without cgo, the nozcrypto
// tag) lack the legacy TLS client, zcrypto's server and zlint. The lab
// leaves out what such a build cannot serve or scan, so that `tlsaudit
// demo` still checks everything else there.

// needLegacyClient names the endpoints whose handshake only the legacy
// client completes: Go's crypto/tls client no longer offers 3DES or
// static-RSA suites, nor accepts a certificate with a duplicate extension.
var needLegacyClient = []string{"3des-only", "static-rsa-only", "malformed-cert"}

// buildLacks reports an endpoint this build cannot serve (nil: see
// zlintEndpoint and weakPreferredEndpoint) or cannot scan.
func buildLacks(ep *Endpoint) bool {
	return ep == nil || (!handshake.LegacyClient && slices.Contains(needLegacyClient, ep.Name))
}
