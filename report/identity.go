package report

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// identity is what makes a finding the same finding from one scan to the
// next: the finding ID and the endpoint (host:port as written, and the
// server name asked for), plus the file of a finding that points into the
// user's code. Never the message or the evidence: days left, addresses and
// suite lists change between runs, and the line a target sits on changes
// when a neighbouring target is added. Baselines match on it and SARIF
// fingerprints hash it.
//
// A code finding (a source tree's) has no endpoint; its message, which
// says what the code does and holds nothing volatile, tells apart two
// findings of one check in one file, so that one moving or going away
// does not renumber the other.
type identity struct {
	Check      string
	Endpoint   string
	ServerName string
	File       string
	Code       string
}

func identityOf(t *scanner.Target, f *scanner.Finding) identity {
	id := identity{Check: f.CheckID, Endpoint: t.HostPort(), ServerName: t.ServerName, File: f.Location.File}
	if t.SourceTree != "" {
		id.Endpoint, id.ServerName, id.Code = t.SourceTree, "", f.Message
	}
	return id
}

// fingerprintVersion changes only if the hash input must change, which
// would reopen every alert as new.
const fingerprintVersion = "tlsaudit/v1"

// hash is the stable hex digest of the identity.
func (id identity) hash() string {
	sum := id.sum()
	return hex.EncodeToString(sum[:])
}

// sum is the identity's digest, which stands for it where identities are
// kept (a baseline's): its parts come from a report and can be long.
func (id identity) sum() [16]byte {
	h := sha256.New()
	parts := []string{fingerprintVersion, id.Check, id.Endpoint, id.ServerName, id.File}
	if id.Code != "" {
		parts = append(parts, id.Code) // only code findings: host fingerprints stay as they were
	}
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0}) // separator: no two identities hash the same input
	}
	return [16]byte(h.Sum(nil))
}
