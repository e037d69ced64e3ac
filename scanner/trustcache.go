package scanner

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"sync"
	"time"
)

// trustCache remembers chain verdicts within one scan. Verifying a chain
// costs a signature check per certificate, about as much CPU again as the
// client's side of a TLS 1.3 handshake; fleets serve the same chain from
// many targets (a wildcard or SAN certificate behind many names, every
// address of a dual-stack host), and each repeat then costs a hash.
//
// The key is everything verifyChain reads: the served DER, the root pool
// (by identity: targets sharing a CA file share its pool) and its name,
// and the scan clock to the minute, so a verdict is never reused across a
// validity boundary by more than a minute. Memory is bounded: two
// generations of at most trustCacheGen entries each; when the young one
// fills, the old one is dropped.
type trustCache struct {
	mu         sync.Mutex
	young, old map[trustKey]Trust
}

const trustCacheGen = 128

type trustKey struct {
	chain  [sha256.Size]byte
	roots  *x509.CertPool
	name   string
	minute int64
}

func newTrustCache() *trustCache {
	return &trustCache{young: map[trustKey]Trust{}}
}

// verify is verifyChain through the cache.
func (c *trustCache) verify(served []*x509.Certificate, roots *x509.CertPool, rootsName string, now time.Time) Trust {
	if c == nil || len(served) == 0 {
		return verifyChain(served, roots, rootsName, now)
	}
	k := trustKey{chain: chainDigest(served), roots: roots, name: rootsName, minute: now.Unix() / 60}
	if t, ok := c.get(k); ok {
		return t
	}
	t := verifyChain(served, roots, rootsName, now)
	c.put(k, t)
	return t
}

func (c *trustCache) get(k trustKey) (Trust, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.young[k]; ok {
		return t, true
	}
	if t, ok := c.old[k]; ok {
		c.putLocked(k, t)
		return t, true
	}
	return Trust{}, false
}

func (c *trustCache) put(k trustKey, t Trust) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(k, t)
}

func (c *trustCache) putLocked(k trustKey, t Trust) {
	if len(c.young) >= trustCacheGen {
		c.old, c.young = c.young, make(map[trustKey]Trust, trustCacheGen)
	}
	c.young[k] = t
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
