package handshake

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"runtime"
	"slices"
	"sync"
	"time"
)

// A TrustCache remembers chain verification within one scan. Verifying a
// chain costs a signature check per certificate: on the client, about a
// third as much CPU again as the TLS 1.3 handshake it follows. Fleets repeat
// chains: a wildcard or SAN certificate behind many names, every address of
// a dual-stack host (the whole verdict is reused), and above all one CA's
// intermediate under thousands of leaves (its path to the root is reused,
// and only the leaf's own signature is checked).
//
// Keys hold everything the verification reads: the served DER, the root
// pool (by identity: targets sharing a CA file share its pool) and its
// name, and the scan clock to the minute, so a result is never reused
// across a validity boundary by more than a minute. Memory is bounded:
// two generations of at most trustCacheGen entries per kind.
type TrustCache struct {
	verdicts genCache[trustKey, Trust]
	uppers   genCache[trustKey, []*x509.Certificate]
	learned  learned
}

const trustCacheGen = 128

type trustKey struct {
	chain  [sha256.Size]byte
	roots  *x509.CertPool
	name   string
	minute int64
}

func NewTrustCache() *TrustCache { return &TrustCache{} }

// Verify verifies served (leaf first) against roots (nil: the system
// roots, named rootsName in the verdict) at now, through the cache.
func (c *TrustCache) Verify(served []*x509.Certificate, roots *x509.CertPool, rootsName string, now time.Time) Trust {
	if c == nil || len(served) == 0 {
		return verifyChain(served, roots, rootsName, now)
	}
	k := trustKey{chain: chainDigest(served), roots: roots, name: rootsName, minute: now.Unix() / 60}
	if t, ok := c.verdicts.get(k); ok {
		// The intermediates learned since may complete it now.
		return c.missingIntermediate(t, served, roots)
	}
	t, ok := c.viaIntermediate(served, roots, rootsName, now)
	if !ok {
		t = verifyChain(served, roots, rootsName, now)
	}
	c.verdicts.put(k, t)
	return c.missingIntermediate(t, served, roots)
}

// viaIntermediate verifies a leaf against its served intermediate as if
// that were the trust anchor, and joins the result to the intermediate's
// own verified (and cached) path to a root. It answers only when that
// gives what verifying the whole chain would: the chain verifies, and no
// certificate above the intermediate restricts what the leaf may be — no
// name constraints, no extended key usage without serverAuth, no path
// length the longer chain exceeds — and no certificate carries policy
// constraints (crypto/x509 does not process an anchor's policies). In
// every other case, failures included, it declines, and the whole chain is
// verified as usual.
func (c *TrustCache) viaIntermediate(served []*x509.Certificate, roots *x509.CertPool, rootsName string, now time.Time) (Trust, bool) {
	if len(served) < 2 || (roots == nil && platformVerifier) {
		return Trust{}, false
	}
	leaf, inter := served[0], served[1]
	if !inter.BasicConstraintsValid || !inter.IsCA || !bytes.Equal(leaf.RawIssuer, inter.RawSubject) {
		return Trust{}, false
	}
	for i, s := range served {
		if policyConstrained(s) || (i > 1 && bytes.Equal(s.RawSubject, inter.RawSubject)) {
			return Trust{}, false
		}
	}
	upper := c.upper(served[1:], roots, now)
	if upper == nil {
		return Trust{}, false
	}
	for j, u := range upper[1:] {
		// u sits at index j+2 of the whole chain, above j+1 intermediates.
		if nameConstrained(u) || !allowsServerAuth(u) || policyConstrained(u) ||
			(u.BasicConstraintsValid && u.MaxPathLen >= 0 && j+1 > u.MaxPathLen) {
			return Trust{}, false
		}
	}
	anchor := x509.NewCertPool()
	anchor.AddCert(inter)
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:       anchor,
		CurrentTime: now,
		KeyUsages:   []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil || len(chains[0]) != 2 || !bytes.Equal(chains[0][1].Raw, inter.Raw) {
		return Trust{}, false
	}
	full := slices.Concat(chains[0], upper[1:])
	return Trust{Status: TrustOK, Roots: rootsLabel(rootsName), At: now, Verified: full, Anchor: full[len(full)-1].Subject.String()}, true
}

// upper is the verified path from served[0] (an intermediate) to a root,
// or nil when there is none at now.
func (c *TrustCache) upper(served []*x509.Certificate, roots *x509.CertPool, now time.Time) []*x509.Certificate {
	k := trustKey{chain: chainDigest(served), roots: roots, minute: now.Unix() / 60}
	if u, ok := c.uppers.get(k); ok {
		return u
	}
	inter := x509.NewCertPool()
	for _, s := range served[1:] {
		inter.AddCert(s)
	}
	var u []*x509.Certificate
	chains, err := served[0].Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   now,
		// Usages are checked on the whole chain: allowsServerAuth above,
		// and the leaf's verification covers the intermediate's.
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err == nil {
		u = chains[0]
	}
	c.uppers.put(k, u)
	return u
}

// platformVerifier: where crypto/x509 hands system-root verification to
// the operating system, which verifies with its own rules.
var platformVerifier = runtime.GOOS == "windows" || runtime.GOOS == "darwin" || runtime.GOOS == "ios"

func nameConstrained(c *x509.Certificate) bool {
	return len(c.PermittedDNSDomains) > 0 || len(c.ExcludedDNSDomains) > 0 ||
		len(c.PermittedIPRanges) > 0 || len(c.ExcludedIPRanges) > 0 ||
		len(c.PermittedEmailAddresses) > 0 || len(c.ExcludedEmailAddresses) > 0 ||
		len(c.PermittedURIDomains) > 0 || len(c.ExcludedURIDomains) > 0
}

func policyConstrained(c *x509.Certificate) bool {
	return c.RequireExplicitPolicy > 0 || c.RequireExplicitPolicyZero ||
		c.InhibitPolicyMapping > 0 || c.InhibitPolicyMappingZero ||
		c.InhibitAnyPolicy > 0 || c.InhibitAnyPolicyZero || len(c.PolicyMappings) > 0
}

// allowsServerAuth is crypto/x509's test of one certificate in a chain
// for the serverAuth usage.
func allowsServerAuth(c *x509.Certificate) bool {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return true
	}
	return slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageAny) || slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageServerAuth)
}

// genCache is a map bounded to two generations of trustCacheGen entries:
// when the young one fills, the old one is dropped.
type genCache[K comparable, V any] struct {
	mu         sync.Mutex
	young, old map[K]V
}

func (g *genCache[K, V]) get(k K) (V, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if v, ok := g.young[k]; ok {
		return v, true
	}
	if v, ok := g.old[k]; ok {
		g.putLocked(k, v)
		return v, true
	}
	var zero V
	return zero, false
}

func (g *genCache[K, V]) put(k K, v V) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.putLocked(k, v)
}

func (g *genCache[K, V]) putLocked(k K, v V) {
	if g.young == nil || len(g.young) >= trustCacheGen {
		g.old, g.young = g.young, make(map[K]V, trustCacheGen)
	}
	g.young[k] = v
}

func (g *genCache[K, V]) len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.young) + len(g.old)
}

// chainDigest hashes the served certificates in order, each prefixed by
// its length so that no two chains share a digest by re-cutting the bytes.
func chainDigest(served []*x509.Certificate) [sha256.Size]byte {
	h := sha256.New()
	var n [8]byte
	for _, c := range served {
		binary.BigEndian.PutUint64(n[:], uint64(len(c.Raw)))
		h.Write(n[:])
		h.Write(c.Raw)
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}
