package checks

import (
	"cmp"
	"crypto/x509"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// The checks that read the served chain (keys, signatures, lifetime, SAN, chain
// shape, pins, revocation, zlint) share these helpers.

// judgeCerts runs judge over certs (index in the served chain,
// certificate) and reports each finding it returns. When it returns none,
// the check's answer is unparsed's: nothing among the certificates that
// parsed, which is a pass only if every one did.
func judgeCerts(p *scanner.Pass, certs iter.Seq2[int, *x509.Certificate], judge func(i int, c *x509.Certificate) (scanner.Finding, bool)) error {
	var found, more int
	var moreSeverity scanner.Severity
	for i, c := range certs {
		f, ok := judge(i, c)
		if !ok {
			continue
		}
		if found++; found <= maxCertFindings {
			p.Report(f)
			continue
		}
		// A hostile server may send hundreds of certificates: past the
		// first few, one finding stands for the rest, so a report stays
		// readable and a gate still sees the worst of them.
		more++
		moreSeverity = max(moreSeverity, cmp.Or(f.Severity, p.Check.Severity))
	}
	if more > 0 {
		p.Report(scanner.Finding{
			Severity: moreSeverity,
			Message:  fmt.Sprintf("and %d more served %s with the same problem (only the first %d are listed)", more, words.Plural(more, "certificate", "certificates"), maxCertFindings),
			Evidence: map[string]string{"more": strconv.Itoa(more)},
		})
	}
	if found == 0 {
		return unparsed(p.Handshake())
	}
	return nil
}

// maxCertFindings is how many certificates of one chain a per-certificate
// check names one by one.
const maxCertFindings = 5

// issuedCerts yields the served certificates whose own properties a server
// operator answers for: the leaf and the intermediates, not a root the
// server sends along (a trust anchor's key and self-signature are judged by
// the trust store that holds it, not by clients of this server). A root
// is recognised by shape (certinfo.SelfIssued), so an old root's SHA-1
// self-signature, which crypto/x509 will not check, does not hide it.
func issuedCerts(chain []*x509.Certificate) iter.Seq2[int, *x509.Certificate] {
	return func(yield func(int, *x509.Certificate) bool) {
		for i, c := range chain {
			if i > 0 && certinfo.SelfIssued(c) {
				continue
			}
			if !yield(i, c) {
				return
			}
		}
	}
}

// A certificate crypto/x509 cannot parse is cert-malformed's finding; the
// other certificate checks cannot judge it, and say so with a check error
// ("could not decide") rather than pass in silence. Those that read only
// the leaf use parsedLeaf; those that read the chain report what they find
// among the certificates that parsed, and when that is nothing, return
// unparsed's error.

// parsedLeaf returns the leaf, or why there is none to judge.
func parsedLeaf(h *handshake.Handshake) (*x509.Certificate, error) {
	if leaf := h.Leaf(); leaf != nil {
		return leaf, nil
	}
	if err := unparsed(h); err != nil {
		return nil, err
	}
	return nil, errors.New("the server sent no certificate, so there is none to judge")
}

// unparsed says which served certificates did not parse, or returns nil
// when every one did.
func unparsed(h *handshake.Handshake) error {
	if len(h.ParseErrors) == 0 {
		if len(h.RawChain) == 0 && len(h.Chain) == 0 {
			return errors.New("the server sent no certificate, so there is none to judge")
		}
		return nil
	}
	if _, ok := h.ParseErrors[0]; ok {
		return errors.New("the leaf certificate does not parse (see cert-malformed), so it cannot be judged")
	}
	idx := slices.Sorted(maps.Keys(h.ParseErrors))
	n := make([]string, len(idx))
	for i, j := range idx {
		n[i] = strconv.Itoa(j + 1)
	}
	return fmt.Errorf("certificate %s of the served chain does not parse (see cert-malformed), so it cannot be judged", strings.Join(n, ", "))
}

// pinMiss compares pins with the keys of h's served chain and of the root
// it verifies to (a pinned root is rarely served, and clients pin it all
// the same). spki are SPKI hashes (certinfo.SPKIPin form); certs are
// pinned certificates, matched by key and as the issuer of a chain
// certificate. When nothing matches it returns the finding's evidence:
// "pins" (what is pinned) and "chain_pins" (the keys there are), both
// sha256/… lists separated by spaces, and the leaf's fingerprint. It
// returns nil evidence when a pin matches, and unparsed's error when a
// certificate that does not parse may hold the pinned key.
func pinMiss(h *handshake.Handshake, spki []string, certs []*x509.Certificate) (map[string]string, error) {
	keys := slices.Concat(h.Chain, h.Trust.Verified)
	if certinfo.ChainMatchesPins(keys, spki, certs) {
		return nil, nil
	}
	if err := unparsed(h); err != nil {
		return nil, err
	}
	pinned := slices.Clone(spki)
	for _, c := range certs {
		pinned = append(pinned, certinfo.SPKIPin(c))
	}
	var have []string
	for _, c := range keys {
		if pin := certinfo.SPKIPin(c); !slices.Contains(have, pin) {
			have = append(have, pin)
		}
	}
	return map[string]string{
		"pins":        pinList(pinned),
		"chain_pins":  pinList(have),
		"leaf_sha256": fingerprint(h.Chain[0]),
	}, nil
}

// pinList writes pins the way OkHttp, TrustKit and the targets file do.
func pinList(pins []string) string {
	out := make([]string, len(pins))
	for i, p := range pins {
		out[i] = pinString(p)
	}
	return strings.Join(out, " ")
}

func pinString(spki string) string { return "sha256/" + spki }
