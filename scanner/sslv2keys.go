package scanner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sync"

	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// sslv2Keys are the RSA keys this scan's SSLv2 endpoints use, so that
// another endpoint with the same key is flagged: DROWN decrypts its TLS
// sessions through the SSLv2 one (drown-shared-key).
//
// Results stream out as targets finish, so the order matters: a target's
// checks wait for the SSLv2 probe of every target in flight whose TLS
// certificate has the same key (known once its handshake ended). An SSLv2
// endpoint is missed for a target when, at the time that target's checks
// run, it has not finished its handshake yet (it started later, in a scan
// of more targets than --concurrency, or its handshake is slow), or its
// TLS certificate has another key than its SSLv2 one and its probe has not
// run yet.
type sslv2Keys struct {
	mu sync.Mutex
	// keys maps an SSLv2 certificate's SPKI SHA-256 to the endpoints
	// ("name (ip:port)", or "ip:port") that answered SSLv2 with it.
	keys map[string][]string
	// inflight are the targets whose SSLv2 probe has not run yet.
	inflight map[*Target]*sslv2Entry
}

type sslv2Entry struct {
	key       string        // the TLS leaf's SPKI SHA-256, once known
	known     chan struct{} // closed when key is set (or will never be)
	done      chan struct{} // closed when the SSLv2 probe has run (or will not)
	knownOnce sync.Once
	doneOnce  sync.Once
}

// expect registers t as in flight; it is idempotent.
func (k *sslv2Keys) expect(t *Target) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.inflight == nil {
		k.inflight, k.keys = map[*Target]*sslv2Entry{}, map[string][]string{}
	}
	if _, ok := k.inflight[t]; !ok {
		k.inflight[t] = &sslv2Entry{known: make(chan struct{}), done: make(chan struct{})}
	}
}

func (k *sslv2Keys) entry(t *Target) *sslv2Entry {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.inflight[t]
}

// learnLeaf records the key of t's TLS leaf (empty: none).
func (k *sslv2Keys) learnLeaf(t *Target, keyHash string) {
	if e := k.entry(t); e != nil {
		e.knownOnce.Do(func() {
			k.mu.Lock()
			e.key = keyHash
			k.mu.Unlock()
			close(e.known)
		})
	}
}

// probed records t's SSLv2 answer (keyHash empty: no SSLv2 or no key) at
// endpoint, and ends t's wait-for. Called once the probe ran, and again
// (harmlessly) when the target's scan ends.
func (k *sslv2Keys) probed(t *Target, keyHash, endpoint string) {
	k.learnLeaf(t, "")
	k.mu.Lock()
	if keyHash != "" && !slices.Contains(k.keys[keyHash], endpoint) {
		k.keys[keyHash] = append(k.keys[keyHash], endpoint)
	}
	e := k.inflight[t]
	delete(k.inflight, t)
	k.mu.Unlock()
	if e != nil {
		e.doneOnce.Do(func() { close(e.done) })
	}
}

// sharing returns the SSLv2 endpoints other than self that use the key
// keyHash, after waiting (within ctx) for the SSLv2 probe of the targets
// in flight whose certificate has that key. Targets whose handshake has
// not ended yet are not waited for: a host that hangs would hold every
// other target's result for its timeout (a mixed lab fleet took 14 s
// instead of 4 s that way).
func (k *sslv2Keys) sharing(ctx context.Context, t *Target, keyHash, self string) []string {
	k.mu.Lock()
	var same []*sslv2Entry
	for o, e := range k.inflight {
		if o != t && e.key == keyHash {
			same = append(same, e)
		}
	}
	k.mu.Unlock()
	for _, e := range same {
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.DeleteFunc(slices.Clone(k.keys[keyHash]), func(s string) bool { return s == self })
}

// spkiSHA256 is the hex SHA-256 of a SubjectPublicKeyInfo, as the SSLv2
// probe records it.
func spkiSHA256(spki []byte) string {
	sum := sha256.Sum256(spki)
	return hex.EncodeToString(sum[:])
}

// tracksSSLv2 reports whether t's checks run the SSLv2 probe, so that it
// takes part in the shared-key bookkeeping.
func (s *Scanner) tracksSSLv2(t *Target) bool {
	return needsOf(s.SelectedChecks(t))&NeedVulnerabilities != 0
}

// sharedSSLv2Key records r's SSLv2 answer and, unless r is an SSLv2
// endpoint itself (protocol-ssl2's finding), sets r.SSLv2SharedKey.
func (s *Scanner) sharedSSLv2Key(ctx context.Context, r *Result) {
	t := r.Target
	ssl2 := ""
	if r.Vuln != nil && r.Vuln.SSL2.Status == vuln.Vulnerable {
		ssl2 = r.Vuln.SSL2KeySHA256
	}
	self := r.Addr
	if t.Name != "" && t.Name != t.Host {
		self = t.Name + " (" + r.Addr + ")"
	}
	s.sslv2.probed(t, ssl2, self)
	if ssl2 != "" || r.Handshake == nil || r.Handshake.Leaf() == nil {
		return
	}
	r.SSLv2SharedKey = s.sslv2.sharing(ctx, t, spkiSHA256(r.Handshake.Leaf().RawSubjectPublicKeyInfo), self)
}
