package checks

import (
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// weakCurve reports whether a TLS 1.0-1.2 ECDHE group is weak: below 224
// bits, or a binary (characteristic-2) curve of any size, or an explicit
// curve.
func weakCurve(id uint16) bool {
	return id >= 1 && id <= 19 || id == 0xFF01 || id == 0xFF02
}

// CurveWeak reports ECDHE over weak curves. The enumeration already offers
// every legacy curve one by one and reads the curve from each
// ServerKeyExchange, so this check costs no connection.
var CurveWeak = &scanner.Check{
	ID:       "curve-weak",
	Title:    "Server accepts ECDHE over weak or binary elliptic curves",
	Severity: scanner.Medium,
	Description: "The server completes an ECDHE key exchange over a curve below 224 bits " +
		"(secp160*, secp192*) or a binary curve (sect*), which give less than 112-bit " +
		"security or rest on fields with a history of faster attacks; RFC 8422 deprecates " +
		"them and no current client offers them. Read from the enumeration, which offers each " +
		"curve alone and takes the curve the ServerKeyExchange names (not the offer).",
	Remediation: "Restrict the server's groups to x25519, secp256r1 and secp384r1 (OpenSSL " +
		"`Groups`/`ssl_ecdh_curve X25519:prime256v1:secp384r1`).",
	References: tlsRefs("https://www.rfc-editor.org/rfc/rfc8422#section-5.1.1"),
	CWE:        326,
	Needs:      scanner.NeedEnumeration,
	Run: func(p *scanner.Pass) error {
		e := p.Result.Enum
		var weak []uint16
		for _, v := range e.Versions {
			if !v.Accepted || v.Version >= tlsinfo.VersionTLS13 {
				continue
			}
			for _, g := range v.Groups {
				if weakCurve(g) && !slices.Contains(weak, g) {
					weak = append(weak, g)
				}
			}
			for _, s := range v.Suites {
				if s.Info().EllipticDH() && weakCurve(s.Group) && !slices.Contains(weak, s.Group) {
					weak = append(weak, s.Group)
				}
			}
		}
		if len(weak) == 0 {
			return e.Incomplete()
		}
		names := make([]string, len(weak))
		for i, g := range weak {
			names[i] = tlsinfo.GroupName(g)
		}
		list := strings.Join(names, ", ")
		p.Report(scanner.Finding{
			Message:  "server accepts ECDHE over weak curves: " + list,
			Evidence: map[string]string{"curves": list},
		})
		return nil
	},
}
