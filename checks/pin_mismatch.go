package checks

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// PinMismatch reports a target whose configured pins match no key in its
// chain: an app that pins those keys refuses to connect.
var PinMismatch = &scanner.Check{
	ID:       "pin-mismatch",
	Title:    "No key in the chain matches the target's pins",
	Severity: scanner.Critical,
	Description: "The target lists `pins` (SHA-256 hashes of SubjectPublicKeyInfo, the format " +
		"of OkHttp, Android network security config, TrustKit and HPKP) and none of them " +
		"matches a key of the served chain or of the root it verifies to. An app that pins " +
		"these keys refuses every connection: for its users the service is down, typically " +
		"after a certificate renewal that changed the key or the CA. Critical because it is " +
		"an outage, not a weakness.",
	Remediation: "If the new key is legitimate, ship an app update with its pin before (or " +
		"together with) the certificate change, and update `pins` here (`tlsaudit pin HOST` " +
		"prints them). Pin at least two keys (the current one and a backup, or the CA's " +
		"intermediate and root) so a renewal never breaks the app. If the key is not yours, " +
		"someone is intercepting the traffic.",
	References: []string{
		"https://www.rfc-editor.org/rfc/rfc7469#section-2.4",
		"https://cheatsheetseries.owasp.org/cheatsheets/Pinning_Cheat_Sheet.html",
		"https://developer.android.com/privacy-and-security/security-config#CertificatePinning",
	},
	CWE:   295,
	Needs: scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		want := p.Target.Pins
		if len(want) == 0 {
			return nil
		}
		h := p.Handshake()
		keys := slices.Concat(h.Chain, h.Trust.Verified)
		if certinfo.ChainMatchesPins(keys, want, nil) {
			return nil
		}
		var have []string
		for _, c := range keys {
			if pin := certinfo.SPKIPin(c); !slices.Contains(have, pin) {
				have = append(have, pin)
			}
		}
		if err := unparsed(h); err != nil {
			return err // the key that does not parse may be the pinned one
		}
		msg := fmt.Sprintf("none of the %d pins matches a key in the chain", len(want))
		if leaf := h.Leaf(); leaf != nil {
			msg += "; the leaf's pin is " + pinString(leaf)
		}
		p.Report(scanner.Finding{
			Message: msg,
			Evidence: map[string]string{
				"pins":        strings.Join(prefixed(want), " "),
				"chain_pins":  strings.Join(prefixed(have), " "),
				"leaf_sha256": fingerprint(h.Chain[0]),
			},
		})
		return nil
	},
}

func pinString(c *x509.Certificate) string { return "sha256/" + certinfo.SPKIPin(c) }

func prefixed(pins []string) []string {
	out := make([]string, len(pins))
	for i, p := range pins {
		out[i] = "sha256/" + p
	}
	return out
}
