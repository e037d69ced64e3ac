package checks

import (
	"fmt"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/words"
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
		ev, err := pinMiss(h, want, nil)
		if ev == nil || err != nil {
			return err
		}
		p.Report(scanner.Finding{
			Message: fmt.Sprintf("%s; the leaf's pin is %s",
				words.Plural(len(want), "the pin matches no key in the chain", fmt.Sprintf("none of the %d pins matches a key in the chain", len(want))),
				pinString(certinfo.SPKIPin(h.Leaf()))),
			Evidence: ev,
		})
		return nil
	},
}
