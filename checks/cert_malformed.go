package checks

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// CertMalformed reports a served certificate that crypto/x509 cannot parse.
// The scanner still gets such a chain (the zcrypto fallback parses
// leniently); this check reports the defect, and the other certificate
// checks, which have no parsed certificate to look at, end undecided
// rather than pass in silence (served_chain.go, unparsed).
var CertMalformed = &scanner.Check{
	ID:       "cert-malformed",
	Title:    "Certificate cannot be parsed by strict clients",
	Severity: scanner.High,
	Description: "A certificate the server sends is not valid DER X.509 as RFC 5280 defines it " +
		"(for example an extension given twice, a negative serial number, a bad encoding), so " +
		"strict parsers — Go's crypto/x509, and with it Go clients, and other current TLS " +
		"libraries — refuse the connection. Lenient clients may still connect, which hides the " +
		"problem until a client library is upgraded. The other certificate checks cannot judge a " +
		"certificate that does not parse: they end undecided (a check error), not passed.",
	Remediation: "Reissue the certificate with a CA whose software produces RFC 5280-conformant " +
		"certificates, and serve that. The parse error in the finding names the defect.",
	References: []string{
		"https://www.rfc-editor.org/rfc/rfc5280#section-4.2",
		"https://www.rfc-editor.org/rfc/rfc5280#section-4.1",
	},
	CWE:   295,
	Needs: scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		h := p.Handshake()
		for _, i := range slices.Sorted(maps.Keys(h.ParseErrors)) {
			what := "the leaf certificate"
			if i > 0 {
				what = fmt.Sprintf("certificate %d of the served chain", i+1)
			}
			ev := map[string]string{"index": strconv.Itoa(i), "parse_error": h.ParseErrors[i]}
			if i < len(h.RawChain) {
				ev["sha256"] = certinfo.Fingerprint(h.RawChain[i])
			}
			p.Report(scanner.Finding{
				Message:  fmt.Sprintf("%s cannot be parsed by crypto/x509: %s", what, h.ParseErrors[i]),
				Evidence: ev,
			})
		}
		return nil
	},
}
