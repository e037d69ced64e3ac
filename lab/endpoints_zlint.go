package lab

import (
	"crypto/x509"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// zlintEndpoint fires zlint's RFC 5280 lints; builds without zlint (see
// zlint_supported.go) have no such endpoint.
func zlintEndpoint() *Endpoint {
	if !zlintSupported {
		return nil
	}
	return &Endpoint{
		Name: "zlint",
		Doc:  "leaf whose key usage allows certificate signing though it is no CA; scanned with zlint's RFC 5280 lints",
		Want: []string{
			"zlint/e_ext_key_usage_cert_sign_without_ca",
			"zlint/e_key_usage_and_extended_key_usage_inconsistent",
			"zlint/w_ext_subject_key_identifier_missing_sub_cert",
		},
		Start:  serveChain("zlint", leaf(CertSpec{Tweak: func(t *x509.Certificate) { t.KeyUsage |= x509.KeyUsageCertSign }})),
		Target: func(_ *Env, t *scanner.Target) { t.Zlint = []string{"RFC5280"} },
	}
}
