package checks

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// CertMalformed reports a served certificate that crypto/x509 cannot parse.
// The scanner still gets such a chain (the zcrypto fallback parses
// leniently), but without this check a leaf nobody strict can read would
// pass every other check silently: they have no parsed certificate to
// look at.
var CertMalformed = &scanner.Check{
	ID:       "cert-malformed",
	Title:    "Certificate cannot be parsed by strict clients",
	Severity: scanner.High,
	Description: "A certificate the server sends is not valid DER X.509 as RFC 5280 defines it " +
		"(for example an extension given twice, a negative serial number, a bad encoding), so " +
		"strict parsers — Go's crypto/x509, and with it Go clients, and other current TLS " +
		"libraries — refuse the connection. Lenient clients may still connect, which hides the " +
		"problem until a client library is upgraded. The other certificate checks cannot judge a " +
		"certificate that does not parse.",
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
		idx := make([]int, 0, len(h.ParseErrors))
		for i := range h.ParseErrors {
			idx = append(idx, i)
		}
		slices.Sort(idx)
		for _, i := range idx {
			what := "the leaf certificate"
			if i > 0 {
				what = fmt.Sprintf("certificate %d of the served chain", i+1)
			}
			ev := map[string]string{"index": strconv.Itoa(i), "parse_error": h.ParseErrors[i]}
			if i < len(h.RawChain) {
				sum := sha256.Sum256(h.RawChain[i])
				ev["sha256"] = hex.EncodeToString(sum[:])
			}
			p.Report(scanner.Finding{
				Message:  fmt.Sprintf("%s cannot be parsed by crypto/x509: %s", what, h.ParseErrors[i]),
				Evidence: ev,
			})
		}
		return nil
	},
}
