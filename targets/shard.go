package targets

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// A Shard is part K of N (1 ≤ K ≤ N) of a set of targets, for splitting a
// fleet over N CI jobs or Kubernetes pods. The zero Shard is everything.
//
// A target's shard is a hash of its name, which is unique within a
// targets file and does not depend on where the target is written: the
// split stays the same when the file is reordered or other targets are
// added or removed, and every machine computes the same split. (An
// unnamed target's name is host:port, with the server name when it
// differs.)
type Shard struct {
	K, N int
}

// ParseShard reads "K/N".
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, ok1 := decimal(strings.TrimSpace(k))
	ni, ok2 := decimal(strings.TrimSpace(n))
	if !ok || !ok1 || !ok2 {
		return Shard{}, fmt.Errorf("expected K/N such as 2/8, got %s", quote(s))
	}
	if ni < 1 || ki < 1 || ki > ni {
		return Shard{}, fmt.Errorf("%s: need 1 ≤ K ≤ N", quote(s))
	}
	return Shard{K: ki, N: ni}, nil
}

func (s Shard) String() string {
	if s.N == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

// Has reports whether t belongs to the shard.
func (s Shard) Has(t *scanner.Target) bool {
	if s.N <= 1 {
		return true
	}
	return ShardOf(t.Name, s.N) == s.K
}

// ShardOf is the shard (1 to n) a target named name falls in: the first 8
// bytes of the name's SHA-256 modulo n. SHA-256 rather than a faster hash
// because the split must never change between versions or platforms.
func ShardOf(name string, n int) int {
	sum := sha256.Sum256([]byte(name))
	return int(binary.BigEndian.Uint64(sum[:8])%uint64(n)) + 1
}
