package checks

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
)

var chainShapeRefs = []string{
	"https://www.rfc-editor.org/rfc/rfc5246#section-7.4.2",
	"https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2",
}

// ChainOrder reports a served chain that is not the leaf followed by each
// certificate's issuer in turn: out of order, with duplicates, or with
// certificates that belong to no path from the leaf.
var ChainOrder = &scanner.Check{
	ID:       "chain-order",
	Title:    "Server sends its chain out of order or with extra certificates",
	Severity: scanner.Info,
	Description: "The certificates the server sends are not the leaf followed by its issuer, " +
		"that issuer's issuer, and so on: they are out of order, some are sent twice, or some " +
		"are not part of the leaf's chain at all (a leftover intermediate of an old " +
		"certificate). TLS 1.2 (RFC 5246) requires the order; TLS 1.3 and most current " +
		"clients tolerate the rest, so this is informational, but strict and older clients " +
		"(embedded TLS stacks, old Java and OpenSSL) can fail to build the chain, and extra " +
		"certificates cost bytes in every handshake.",
	Remediation: "Configure the server with the leaf first, then each intermediate in issuing " +
		"order (fullchain.pem from an ACME client is already so), and remove certificates that " +
		"do not belong to the chain.",
	References: chainShapeRefs,
	Needs:      scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		h := p.Handshake()
		chain := h.Chain
		if len(chain) < 2 {
			return unparsed(h)
		}
		// The evidence is built once, and only for a finding: most chains
		// are in order.
		var ev map[string]string
		reported := 0
		report := func(f scanner.Finding) {
			if ev == nil {
				ev = map[string]string{"served": servedOrder(chain)}
			}
			f.Evidence = ev
			reported++
			p.Report(f)
		}
		// One finding per kind of problem, however many certificates it
		// touches: a hostile chain of hundreds stays three findings.
		var unique []*x509.Certificate
		var dups []string
		for i, c := range chain {
			if slices.ContainsFunc(unique, func(u *x509.Certificate) bool { return bytes.Equal(u.Raw, c.Raw) }) {
				dups = append(dups, fmt.Sprintf("%d (%q)", i, subjectName(c)))
				continue
			}
			unique = append(unique, c)
		}
		if len(dups) > 0 {
			report(scanner.Finding{Message: fmt.Sprintf("%s sent more than once: %s",
				words.Plural(len(dups), "a certificate is", fmt.Sprintf("%d certificates are", len(dups))), listSome(dups))})
		}
		path := certinfo.Path(unique)
		for i, c := range path {
			if unique[i] != c {
				report(scanner.Finding{
					Message: fmt.Sprintf("the certificates are sent out of order: %q comes right after %q but did not issue it", subjectName(unique[i]), subjectName(unique[i-1])),
				})
				break
			}
		}
		var strays []string
		for _, c := range unique {
			if !slices.Contains(path, c) {
				strays = append(strays, fmt.Sprintf("%q", subjectName(c)))
			}
		}
		if len(strays) > 0 {
			report(scanner.Finding{Message: fmt.Sprintf("%s sent but not part of the leaf's chain: %s",
				words.Plural(len(strays), "a certificate is", fmt.Sprintf("%d certificates are", len(strays))), listSome(strays))})
		}
		if reported == 0 {
			return unparsed(h)
		}
		return nil
	},
}

// ChainSendsRoot reports a server that sends a root certificate.
var ChainSendsRoot = &scanner.Check{
	ID:       "chain-sends-root",
	Title:    "Server sends the root certificate",
	Severity: scanner.Info,
	Description: "The server sends a self-signed root certificate along with its chain. " +
		"Clients trust a root only if they already hold it, so sending it does nothing but add " +
		"bytes to every handshake; where a root is cross-signed, a sent copy can also steer " +
		"some clients to an expired path.",
	Remediation: "Serve the leaf and its intermediates only, without the root.",
	References:  chainShapeRefs,
	Needs:       scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		chain := p.Handshake().Chain
		served := "" // built once, only when there is a root to report
		return judgeCerts(p, slices.All(chain), func(i int, c *x509.Certificate) (scanner.Finding, bool) {
			if i == 0 || !certinfo.SelfIssued(c) {
				return scanner.Finding{}, false
			}
			if served == "" {
				served = servedOrder(chain)
			}
			ev := validityEvidence(c)
			ev["served"] = served
			return scanner.Finding{
				Message:  fmt.Sprintf("certificate %d is the root %q, which clients must already hold to trust it", i, subjectName(c)),
				Evidence: ev,
			}, true
		})
	},
}

// listSome joins the first few items of a list that a hostile server can
// make arbitrarily long.
func listSome(items []string) string {
	const show = 5
	if len(items) <= show {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:show], ", ") + fmt.Sprintf(" and %d more", len(items)-show)
}

// servedOrderMax bounds the certificates servedOrder names: a hostile
// server may send hundreds, and the list is evidence in every finding.
const servedOrderMax = 20

// servedOrder names the served certificates in order, the first
// servedOrderMax of them.
func servedOrder(chain []*x509.Certificate) string {
	names := make([]string, 0, min(len(chain), servedOrderMax)+1)
	for i, c := range chain[:min(len(chain), servedOrderMax)] {
		names = append(names, fmt.Sprintf("%d: %s", i, c.Subject.String()))
	}
	if n := len(chain) - servedOrderMax; n > 0 {
		names = append(names, fmt.Sprintf("and %d more", n))
	}
	return strings.Join(names, "; ")
}
