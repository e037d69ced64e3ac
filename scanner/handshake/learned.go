package handshake

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"slices"
	"sync"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
)

// learned are the intermediates the servers of one scan sent, by subject:
// a private PKI's servers usually share an intermediate, and one that
// forgets to send it while its leaf names no issuer URL would otherwise
// look like a leaf from an unknown root. Bounded: a scan of many targets
// with distinct intermediates keeps the first maxLearned.
type learned struct {
	mu        sync.Mutex
	bySubject map[string][]*x509.Certificate
	n         int
}

const maxLearned = 4096

// Learn records the CA certificates other than roots that a server sent.
func (c *TrustCache) Learn(served []*x509.Certificate) {
	if c == nil || len(served) < 2 {
		return
	}
	l := &c.learned
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bySubject == nil {
		l.bySubject = map[string][]*x509.Certificate{}
	}
	for _, s := range served[1:] {
		if !s.BasicConstraintsValid || !s.IsCA || certinfo.SelfIssued(s) || l.n >= maxLearned {
			continue
		}
		k := string(s.RawSubject)
		dup := false
		for _, have := range l.bySubject[k] {
			dup = dup || bytes.Equal(have.Raw, s.Raw)
		}
		if !dup {
			l.bySubject[k] = append(l.bySubject[k], s)
			l.n++
		}
	}
}

// missingIntermediate turns an unknown-root verdict on a leaf served
// alone (no issuer URL to fetch) into an incomplete chain when an
// intermediate another server of this scan sent issued the leaf and
// completes the chain to the roots: the server forgot it, the root is
// known.
func (c *TrustCache) missingIntermediate(t Trust, served []*x509.Certificate, roots *x509.CertPool) Trust {
	if c == nil || t.Status != TrustUnknown || len(served) == 0 {
		return t
	}
	leaf := served[0]
	if len(leaf.IssuingCertificateURL) > 0 || certinfo.SelfIssued(leaf) || t.MissingIssuer != leaf.Issuer.String() {
		return t
	}
	c.learned.mu.Lock()
	candidates := append([]*x509.Certificate(nil), c.learned.bySubject[string(leaf.RawIssuer)]...)
	c.learned.mu.Unlock()
	for _, inter := range candidates {
		if !certinfo.Issued(inter, leaf) {
			continue
		}
		if _, err := VerifyPath(slices.Concat(served, []*x509.Certificate{inter}), roots, "", t.At); err != nil {
			continue
		}
		t.Status = TrustIncomplete
		t.MissingIssuer = inter.Subject.String()
		t.Detail = fmt.Sprintf("the server does not send the intermediate %q that issued its certificate, and the leaf names no issuer URL to fetch it from (another server of this scan sends it, so the root is known)", inter.Subject.String())
		return t
	}
	return t
}
