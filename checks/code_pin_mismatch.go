package checks

import (
	"fmt"

	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// CodePinMismatch compares the pins an app's code sets for a host
// (Target.CodePins, from discover) with the chain the host serves.
var CodePinMismatch = &scanner.Check{
	ID:       "code-pin-mismatch",
	Title:    "Server's chain matches none of the keys the app pins",
	Severity: scanner.Critical,
	Description: "The app's code pins keys or certificates for this host (an Android <pin-set>, " +
		"an OkHttp CertificatePinner, a Dart SecurityContext), and no certificate in the chain " +
		"the host serves has a pinned key or was issued by a pinned certificate. An app that " +
		"enforces these pins refuses the server: it is broken now, or the pins in the code are " +
		"stale and the next release would be. This is what happens after a certificate rotation " +
		"to a new key or CA that the app did not pin in advance.",
	Remediation: "Add the served key (see the chain's spki_sha256 in the JSON report) or its " +
		"CA's key to the app's pins and ship the app, or serve a certificate with a pinned key. " +
		"Always pin a backup key so a rotation does not need an emergency release.",
	References: []string{
		refAndroidNSC,
		"https://square.github.io/okhttp/3.x/okhttp/okhttp3/CertificatePinner.html",
		"https://owasp.org/www-community/controls/Certificate_and_Public_Key_Pinning",
	},
	Needs: scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		h := p.Handshake()
		for _, ps := range p.Target.CodePins {
			if ps.Unresolved != "" || ps.Keys() == 0 || (!ps.Expires.IsZero() && p.Now.After(ps.Expires)) {
				continue // nothing to compare, or the app no longer enforces it
			}
			ev, err := pinMiss(h, ps.SPKI, ps.Certs)
			if err != nil {
				return err
			}
			if ev == nil {
				continue // a pin matches
			}
			p.Report(scanner.Finding{
				Location: ps.Where,
				Message: fmt.Sprintf("the served chain matches none of the %d %s the app pins (%s): the app refuses this server",
					ps.Keys(), words.Plural(ps.Keys(), "key", "keys"), ps.Kind),
				Evidence: ev,
			})
		}
		return nil
	},
}
