package handshake

import (
	"cmp"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
)

// TrustStatus is the verdict of verifying a served chain.
type TrustStatus string

// Trust verdicts. The failures are kept apart because their fixes differ:
// an incomplete chain is fixed on the server (send the intermediate), an
// unknown root by the client (trust the CA) or by buying a certificate from
// a public CA, a self-signed leaf by issuing a real certificate.
const (
	TrustOK         TrustStatus = "trusted"
	TrustSelfSigned TrustStatus = "self-signed"
	TrustUnknown    TrustStatus = "unknown-root"
	TrustIncomplete TrustStatus = "incomplete-chain"
	TrustInvalid    TrustStatus = "invalid"
	TrustUnchecked  TrustStatus = "unchecked"
)

// Trust is the outcome of verifying the served chain against the target's
// roots. Hostname and expiry are left to their own checks: verification
// runs without a DNS name and, when a certificate is out of its validity
// window, at a time inside it.
type Trust struct {
	Status TrustStatus
	// Detail explains a failure in a sentence.
	Detail string
	// Roots names the trust store: "system" (systemRoots) or the CA
	// file(s).
	Roots string
	// Anchor is the subject of the root the chain verified to.
	Anchor string
	// Verified is the first verified chain, leaf to root.
	Verified []*x509.Certificate
	// At is the time verification used; it differs from the scan clock
	// when a served certificate is expired or not yet valid.
	At time.Time
	// MissingIssuer is the issuer name that could not be found, for
	// unknown-root and incomplete-chain.
	MissingIssuer string
	// IssuerURLs are the caIssuers URLs of the certificate whose issuer is
	// missing: where a client that fetches AIA would find it.
	IssuerURLs []string
}

// systemRoots names the system trust store in Trust.Roots: a target whose
// Roots are nil, with no RootsName of its own.
const systemRoots = "system"

// rootsLabel is what Trust.Roots says for a target's RootsName.
func rootsLabel(rootsName string) string { return cmp.Or(rootsName, systemRoots) }

// verifyChain verifies served (leaf first) against roots (nil: the system
// roots) at now and classifies a failure.
func verifyChain(served []*x509.Certificate, roots *x509.CertPool, rootsName string, now time.Time) Trust {
	rootsName = rootsLabel(rootsName)
	if len(served) == 0 {
		return Trust{Status: TrustUnchecked, Roots: rootsName, Detail: "the server's certificate could not be parsed"}
	}
	leaf := served[0]
	verify := func(at time.Time) ([][]*x509.Certificate, error) {
		return VerifyPath(served, roots, "", at)
	}
	at := now
	chains, err := verify(at)
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired {
		// Expiry is cert-expired's finding; ask whether the chain would be
		// trusted inside its validity window so the two stay independent.
		at = insideValidity(served, now)
		chains, err = verify(at)
	}
	t := Trust{Roots: rootsName, At: at}
	if err == nil {
		t.Status = TrustOK
		t.Verified = chains[0]
		t.Anchor = chains[0][len(chains[0])-1].Subject.String()
		return t
	}
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired {
		// No time makes the whole chain valid. crypto/x509's message
		// quotes the time verification used, which may be one chosen
		// above; say which certificate is out of its window at the real
		// time instead.
		t.Status = TrustInvalid
		t.Detail = validityDetail(invalid.Cert, now)
		return t
	}
	if !errors.As(err, &unknown) {
		t.Status = TrustInvalid
		t.Detail = err.Error()
		return t
	}
	path := certinfo.Path(served)
	top := path[len(path)-1]
	if top == leaf && certinfo.SelfIssued(leaf) {
		// Self-signed by shape, before any signature is judged: a
		// self-signed leaf is refused for not being a trusted root whatever
		// hash signs it (signature-weak reports a SHA-1 one on its own).
		t.Status = TrustSelfSigned
		t.Detail = "the leaf certificate is self-signed and not among the trusted roots"
		return t
	}
	if c := insecurelySigned(path); c != nil {
		// crypto/x509 cannot check a SHA-1 or MD5 signature, so it finds
		// no issuer and says "unknown authority"; the real reason is the
		// signature, which clients refuse just the same.
		t.Status = TrustInvalid
		t.Detail = fmt.Sprintf("%q is signed with %s, which crypto/x509 refuses to verify, as current browsers and mobile platforms do", c.Subject.String(), c.SignatureAlgorithm)
		return t
	}
	switch {
	case certinfo.SelfIssued(top):
		t.Status = TrustUnknown
		t.Detail = fmt.Sprintf("the chain ends at root %q, which the server sends but is not among the trusted roots", top.Subject.String())
		t.MissingIssuer = top.Subject.String()
	case top != leaf:
		// The server sent intermediates and the last one names an issuer we
		// do not have: servers conventionally omit only the root, so the
		// missing piece is a root nobody trusts.
		t.Status = TrustUnknown
		t.Detail = fmt.Sprintf("the chain ends at %q, issued by %q, which is not among the trusted roots", top.Subject.String(), top.Issuer.String())
		t.MissingIssuer = top.Issuer.String()
	case len(served) > 1 || len(leaf.IssuingCertificateURL) > 0:
		// Leaf alone (or with certificates that did not issue it), and the
		// leaf points at its issuer with AIA: a public-CA style certificate
		// whose intermediate the server forgot to send. Browsers may fetch
		// it; apps, curl and most libraries do not.
		t.Status = TrustIncomplete
		t.Detail = fmt.Sprintf("the server does not send the intermediate %q that issued its certificate", leaf.Issuer.String())
		t.MissingIssuer = leaf.Issuer.String()
		t.IssuerURLs = leaf.IssuingCertificateURL
	default:
		// Leaf alone, no AIA pointer: the usual shape of a private CA that
		// issues straight from its root (mkcert, small internal CAs).
		t.Status = TrustUnknown
		t.Detail = fmt.Sprintf("the issuer %q is not among the trusted roots (the leaf names no intermediate to fetch, so it is most likely a private root)", leaf.Issuer.String())
		t.MissingIssuer = leaf.Issuer.String()
	}
	return t
}

// insideValidity picks a time at which every served certificate is valid
// (the intersection of their windows, clamped towards now), or failing
// that, inside the leaf's own window.
func insideValidity(served []*x509.Certificate, now time.Time) time.Time {
	lo, hi := served[0].NotBefore, served[0].NotAfter
	for _, c := range served[1:] {
		if c.NotBefore.After(lo) {
			lo = c.NotBefore
		}
		if c.NotAfter.Before(hi) {
			hi = c.NotAfter
		}
	}
	if lo.After(hi) {
		lo, hi = served[0].NotBefore, served[0].NotAfter
	}
	switch {
	case now.Before(lo):
		return lo
	case now.After(hi):
		return hi
	}
	return now
}

// insecurelySigned returns the first certificate on the served path,
// other than a root at its top (trusted for being in a store, not for its
// signature), whose signature uses a hash crypto/x509 refuses.
func insecurelySigned(path []*x509.Certificate) *x509.Certificate {
	for i, c := range path {
		if i > 0 && certinfo.SelfIssued(c) {
			continue
		}
		if certinfo.WeakHash(c.SignatureAlgorithm) != "" {
			return c
		}
	}
	return nil
}

// VerifyChain is the trust verdict of served (leaf first) against roots
// named rootsName at now, as the scan's own verdict is made: client
// simulation asks it once per client trust store.
func VerifyChain(served []*x509.Certificate, roots *x509.CertPool, rootsName string, now time.Time) Trust {
	return verifyChain(served, roots, rootsName, now)
}

// validityDetail says why c is out of its validity window, quoting the
// real current time and c's dates, as a user checks them against the
// certificate.
func validityDetail(c *x509.Certificate, now time.Time) string {
	name := fmt.Sprintf("%q (issued by %q)", c.Subject.String(), c.Issuer.String())
	stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	switch {
	case now.After(c.NotAfter):
		return fmt.Sprintf("%s expired on %s (not after %s); the current time is %s", name, c.NotAfter.UTC().Format(time.DateOnly), stamp(c.NotAfter), stamp(now))
	case now.Before(c.NotBefore):
		return fmt.Sprintf("%s is not valid until %s; the current time is %s", name, stamp(c.NotBefore), stamp(now))
	}
	return fmt.Sprintf("%s is valid from %s to %s, which does not overlap the validity of the rest of the chain, so the chain is valid at no time (the current time is %s)", name, stamp(c.NotBefore), stamp(c.NotAfter), stamp(now))
}
