package checks

import (
	"cmp"
	"crypto/x509"
	"errors"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// The trust checks each read one verdict of the scanner's chain
// verification (handshake.Trust), which runs against the target's `ca` when
// it has one, else the system roots. They are separate checks because the
// fixes differ: a self-signed leaf needs a real certificate, an unknown
// root needs the client to trust the CA (or a public CA), an incomplete
// chain needs the server to send its intermediate.

var trustRefs = []string{
	"https://www.rfc-editor.org/rfc/rfc5280#section-6",
	"https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2",
}

// ChainSelfSigned reports a leaf that signs itself.
var ChainSelfSigned = &scanner.Check{
	ID:       "chain-self-signed",
	Title:    "Certificate is self-signed",
	Severity: scanner.High,
	Description: "The server's certificate is signed by its own key and is not a trusted root. " +
		"Clients that verify certificates refuse it; clients that accept it cannot tell this " +
		"server from an attacker presenting another self-signed certificate.",
	Remediation: "Serve a certificate from a public CA (for example via ACME), or from your " +
		"organisation's CA and give clients that CA. To trust this exact certificate for an " +
		"internal service, set the target's `ca` to it, as an app that pins its server does.",
	References: append([]string{"https://cwe.mitre.org/data/definitions/295.html"}, trustRefs...),
	CWE:        295,
	Needs:      scanner.NeedHandshake,
	Run:        trustVerdict(handshake.TrustSelfSigned),
}

// ChainUntrustedRoot reports a chain that ends at a root the client does
// not trust.
var ChainUntrustedRoot = &scanner.Check{
	ID:       "chain-untrusted-root",
	Title:    "Certificate chains to an untrusted root",
	Severity: scanner.High,
	Description: "The chain the server sends leads to a root certificate that is not in the " +
		"trust store used for this target (the system roots, or the target's `ca`). This is " +
		"not an incomplete chain: the server sent what it has, and the root itself is unknown.",
	Remediation: "Use a certificate from a CA the clients trust. For a private CA, distribute " +
		"its root to the clients and set the target's `ca` to it so the scan trusts it too.",
	References: trustRefs,
	CWE:        295,
	Needs:      scanner.NeedHandshake,
	Run:        trustVerdict(handshake.TrustUnknown),
}

// ChainIncomplete reports a server that omits the intermediate between its
// leaf and a root.
var ChainIncomplete = &scanner.Check{
	ID:       "chain-incomplete",
	Title:    "Server does not send its intermediate certificate",
	Severity: scanner.High,
	Description: "The server sends its certificate without the intermediate that issued it. " +
		"Browsers may fetch the intermediate from the certificate's AIA URL and work; mobile " +
		"apps, curl, Go, Java and most API clients do not, and fail to connect.",
	Remediation: "Configure the server with the full chain: the leaf followed by every " +
		"intermediate (for example fullchain.pem from an ACME client), not the leaf alone.",
	References: append([]string{"https://www.rfc-editor.org/rfc/rfc5246#section-7.4.2"}, trustRefs...),
	CWE:        295,
	Needs:      scanner.NeedHandshake,
	Run:        trustVerdict(handshake.TrustIncomplete),
}

// ChainInvalid reports every other verification failure.
var ChainInvalid = &scanner.Check{
	ID:       "chain-invalid",
	Title:    "Certificate chain fails verification",
	Severity: scanner.High,
	Description: "The chain leads to a trusted root but fails verification for another reason: " +
		"a certificate not allowed for server authentication (key usage), an intermediate " +
		"that is not a CA, name constraints, or a broken signature.",
	Remediation: "Reissue the certificate with the serverAuth extended key usage from an " +
		"intermediate that is a CA allowed to issue it; the message says which rule failed.",
	References: trustRefs,
	CWE:        295,
	Needs:      scanner.NeedHandshake,
	Run:        trustVerdict(handshake.TrustInvalid),
}

// trustVerdict returns a Run function that reports when the trust verdict
// is want.
func trustVerdict(want handshake.TrustStatus) func(*scanner.Pass) error {
	return func(p *scanner.Pass) error {
		t := p.Handshake().Trust
		if t.Status == handshake.TrustUnchecked {
			_, err := parsedLeaf(p.Handshake())
			return cmp.Or(err, errors.New(t.Detail))
		}
		// One finding per trust store (--trust-store) with this verdict.
		for _, t := range append([]handshake.Trust{t}, p.Handshake().MoreTrust...) {
			if t.Status == want {
				reportTrust(p, t)
			}
		}
		return nil
	}
}

func reportTrust(p *scanner.Pass, t handshake.Trust) {
	ev := map[string]string{"roots": t.Roots}
	if leaf := p.Handshake().Leaf(); leaf != nil {
		ev["subject"] = leaf.Subject.String()
		ev["issuer"] = leaf.Issuer.String()
		ev["sha256"] = fingerprint(leaf)
	}
	if t.MissingIssuer != "" {
		ev["missing_issuer"] = t.MissingIssuer
	}
	if len(t.IssuerURLs) > 0 {
		ev["ca_issuers"] = strings.Join(t.IssuerURLs, " ")
	}
	p.Report(scanner.Finding{Message: t.Detail + " (trust store: " + t.Roots + ")", Evidence: ev})
}

// fingerprint is c's certinfo.Fingerprint, the "sha256" of evidence.
func fingerprint(c *x509.Certificate) string { return certinfo.Fingerprint(c.Raw) }
