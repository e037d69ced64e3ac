package checks

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// CertRevoked reports a leaf its CA says is revoked: in the OCSP response
// the server staples or, with online revocation checks, in the
// responder's own answer or in a CRL from the leaf's distribution points.
// Before CRLs were read it was ocsp-revoked (scanner/renamed.go).
var CertRevoked = &scanner.Check{
	ID:       "cert-revoked",
	Title:    "Certificate is revoked",
	Severity: scanner.Critical,
	Description: "The leaf certificate's CA says it is revoked: in the OCSP response the server " +
		"staples in the handshake or, when online revocation checks are allowed " +
		"(--online-revocation), in the answer of the leaf's OCSP responder or in a CRL fetched " +
		"from the leaf's http:// CRL distribution points (at most 10 MiB each, within the " +
		"connection timeout, each URL fetched once per scan), verified against the leaf's " +
		"issuer and current (before its nextUpdate). Public CAs such as Let's Encrypt stopped " +
		"OCSP in 2025, so for them the CRL is the only source. A CA revokes a certificate when " +
		"its key is compromised or it was misissued; clients that check revocation refuse it, " +
		"and those that do not are exposed to whoever holds the key. Without " +
		"--online-revocation tlsaudit sends nothing beyond the target, so an unstapled " +
		"revocation goes unseen. This check was called ocsp-revoked; that ID is still accepted " +
		"in --checks, --skip, accept: entries and baselines.",
	Remediation: "Install a new certificate with a new key at once, find out why the old one " +
		"was revoked (the reason is in the evidence), and make sure the server staples a fresh " +
		"response for the new one.",
	References: append(append([]string(nil), ocspRefs...), "https://www.rfc-editor.org/rfc/rfc5280#section-5"),
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		h := p.Handshake()
		var decided bool
		var unproven, failed []string
		revoked := func(source, kind string, at time.Time, reason string, verified bool, errText string) error {
			leaf, err := parsedLeaf(h)
			if err != nil {
				return fmt.Errorf("the %s cannot be matched to the leaf: %w", source, err)
			}
			ev := map[string]string{
				"source":             kind,
				"from":               source,
				"revoked_at":         at.Format(time.RFC3339),
				"reason":             reason,
				"signature_verified": fmt.Sprint(verified),
				"sha256":             fingerprint(leaf),
			}
			if errText != "" {
				ev["error"] = errText
			}
			p.Report(scanner.Finding{
				Message:  fmt.Sprintf("the %s says the leaf certificate was revoked on %s (%s)", source, date(at), reason),
				Evidence: ev,
			})
			return nil
		}
		ocspSays := func(source string, o *certinfo.OCSP) error {
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
			return revoked(source, "ocsp", o.RevokedAt, o.RevocationReason, true, o.Error)
		}
		if o := h.StapledOCSP; o != nil {
			if err := ocspSays("stapled OCSP response", o); err != nil {
				return err
			}
		}
		if o := h.OnlineOCSP; o != nil {
			if o.Parsed != nil {
				if err := ocspSays(fmt.Sprintf("OCSP responder %q", o.URL), o.Parsed); err != nil {
					return err
				}
			} else {
				failed = append(failed, "could not ask the OCSP responder: "+o.Err)
			}
		}
		for _, c := range h.CRLs {
			source := fmt.Sprintf("CRL %q", c.URL)
			switch {
			case c.Error != "":
				failed = append(failed, fmt.Sprintf("the %s could not be used: %s", source, c.Error))
			case c.Expired(p.Now):
				// An expired CRL neither proves nor disproves revocation.
				failed = append(failed, fmt.Sprintf("the %s expired on %s", source, date(c.NextUpdate)))
			case c.Revoked:
				decided = true
				if err := revoked(source, "crl", c.RevokedAt, c.RevocationReason, true, ""); err != nil {
					return err
				}
			default:
				decided = true
			}
		}
		if decided {
			return nil
		}
		if len(unproven) > 0 || len(failed) > 0 {
			return errors.New(strings.Join(append(unproven, failed...), "; "))
		}
		return nil
	},
}
