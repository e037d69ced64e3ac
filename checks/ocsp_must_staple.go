package checks

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"slices"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// oidTLSFeature is the TLS Feature extension (RFC 7633).
var oidTLSFeature = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 24}

// mustStaple reports whether the certificate's TLS Feature extension asks
// for status_request (5); an unparsable extension is an error.
func mustStaple(c *x509.Certificate) (bool, error) {
	for _, ext := range c.Extensions {
		if !ext.Id.Equal(oidTLSFeature) {
			continue
		}
		var features []int
		if rest, err := asn1.Unmarshal(ext.Value, &features); err != nil || len(rest) > 0 {
			return false, errors.New("the certificate's TLS Feature extension does not parse")
		}
		return slices.Contains(features, 5), nil
	}
	return false, nil
}

// OCSPMustStapleMissing reports a must-staple certificate served without
// a staple.
var OCSPMustStapleMissing = &scanner.Check{
	ID:       "ocsp-must-staple-missing",
	Title:    "Must-staple certificate served without an OCSP staple",
	Severity: scanner.High,
	Description: "The certificate carries the TLS Feature extension with status_request " +
		"(OCSP must-staple, RFC 7633), which tells clients to refuse it without a stapled OCSP " +
		"response, but the shared handshake (which asks for one) got none: Firefox and other " +
		"clients that enforce must-staple fail to connect. Servers that fetch staples lazily " +
		"(nginx, Apache with a cold cache) staple nothing on their first connections after a " +
		"restart, so a finding right after one deserves a second scan.",
	Remediation: "Turn OCSP stapling on (nginx `ssl_stapling on; ssl_stapling_verify on;` with a " +
		"`resolver`; Apache `SSLUseStapling on`), make sure the server can reach its CA's " +
		"responder, or reissue the certificate without must-staple.",
	References: []string{"https://www.rfc-editor.org/rfc/rfc7633", "https://www.rfc-editor.org/rfc/rfc6066#section-8"},
	CWE:        299,
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		h := p.Handshake()
		leaf := h.Leaf()
		if leaf == nil {
			return nil
		}
		must, err := mustStaple(leaf)
		if err != nil || !must || len(h.OCSPStaple) > 0 {
			return err
		}
		p.Report(scanner.Finding{Message: "certificate requires an OCSP staple (must-staple) but the server stapled none"})
		return nil
	},
}
