package checks

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
)

var ocspRefs = []string{
	"https://www.rfc-editor.org/rfc/rfc6960",
	"https://www.rfc-editor.org/rfc/rfc6066#section-8",
}

// OCSPRevoked reports a leaf its CA says is revoked, in the OCSP response
// the server staples or, with online revocation checks, in the
// responder's own answer.
var OCSPRevoked = &scanner.Check{
	ID:       "ocsp-revoked",
	Title:    "Certificate is revoked",
	Severity: scanner.Critical,
	Description: "An OCSP response about the leaf certificate says it is revoked: the one the " +
		"server staples in the handshake or, when online revocation checks are allowed " +
		"(--online-revocation), the one the leaf's OCSP responder returns. A CA revokes a " +
		"certificate when its key is compromised or it was misissued; clients that check " +
		"revocation refuse it, and those that do not are exposed to whoever holds the key. " +
		"Without --online-revocation tlsaudit sends nothing beyond the target, so an " +
		"unstapled revocation goes unseen.",
	Remediation: "Install a new certificate with a new key at once, find out why the old one " +
		"was revoked (the reason is in the evidence), and make sure the server staples a fresh " +
		"response for the new one.",
	References: ocspRefs,
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		h := p.Handshake()
		var decided bool
		var unproven []string
		report := func(source string, o *certinfo.OCSP) error {
			leaf, err := parsedLeaf(h)
			if err != nil {
				return fmt.Errorf("the %s cannot be matched to the leaf: %w", source, err)
			}
			decided = decided || o.Status != "" && o.SignatureVerified
			if o.Status != "revoked" {
				return nil
			}
			if !o.SignatureVerified {
				// A revocation nobody can verify (wrong certificate,
				// unauthorised signer, unknown issuer) proves nothing:
				// "could not decide", not a critical finding.
				unproven = append(unproven, fmt.Sprintf("the %s says revoked but cannot be trusted: %s", source, o.Error))
				return nil
			}
			ev := map[string]string{
				"source":             source,
				"revoked_at":         o.RevokedAt.Format(time.RFC3339),
				"reason":             o.RevocationReason,
				"signature_verified": fmt.Sprint(o.SignatureVerified),
				"sha256":             fingerprint(leaf),
			}
			if o.Error != "" {
				ev["error"] = o.Error
			}
			p.Report(scanner.Finding{
				Message:  fmt.Sprintf("the %s says the leaf certificate was revoked on %s (%s)", source, date(o.RevokedAt), o.RevocationReason),
				Evidence: ev,
			})
			return nil
		}
		if o := h.StapledOCSP; o != nil {
			if err := report("stapled OCSP response", o); err != nil {
				return err
			}
		}
		if o := h.OnlineOCSP; o != nil {
			if o.Parsed != nil {
				if err := report(fmt.Sprintf("OCSP responder %q", o.URL), o.Parsed); err != nil {
					return err
				}
			} else if !decided {
				return errors.New("could not ask the OCSP responder: " + o.Err)
			}
		}
		if len(unproven) > 0 && !decided {
			return errors.New(strings.Join(unproven, "; "))
		}
		return nil
	},
}

// OCSPStapleExpired reports a stapled OCSP response past its nextUpdate.
var OCSPStapleExpired = &scanner.Check{
	ID:       "ocsp-staple-expired",
	Title:    "Stapled OCSP response has expired",
	Severity: scanner.Medium,
	Description: "The server staples an OCSP response whose nextUpdate time has passed, so it " +
		"no longer proves anything. Clients that require stapling (certificates with the " +
		"OCSP Must-Staple extension, Firefox for them) refuse the connection; others discard " +
		"it and may query the CA's responder, leaking which site the user visits. It usually " +
		"means the server's stapling cache stopped refreshing, for example because it cannot " +
		"reach the responder.",
	Remediation: "Make the server fetch fresh responses (nginx `ssl_stapling`, Apache " +
		"`SSLUseStapling`, with a resolver and outbound access to the CA's responder), or stop " +
		"stapling rather than serve stale responses.",
	References: ocspRefs,
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		h := p.Handshake()
		// The staple's own dates say whether it expired, whatever it is
		// about (the leaf need not parse).
		o := h.StapledOCSP
		if o == nil || !o.Expired(p.Now) {
			return nil
		}
		ev := map[string]string{
			"this_update": o.ThisUpdate.Format(time.RFC3339),
			"next_update": o.NextUpdate.Format(time.RFC3339),
			"status":      o.Status,
		}
		if leaf := h.Leaf(); leaf != nil {
			ev["sha256"] = fingerprint(leaf)
		}
		p.Report(scanner.Finding{
			Message:  fmt.Sprintf("the stapled OCSP response expired on %s, %s ago", date(o.NextUpdate), ago(p.Now.Sub(o.NextUpdate))),
			Evidence: ev,
		})
		return nil
	},
}
