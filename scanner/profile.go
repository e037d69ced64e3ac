package scanner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// Mozilla's server-side TLS guidelines define three configurations
// (https://wiki.mozilla.org/Security/Server_Side_TLS, version 5.7): which
// protocol versions, cipher suites and DH sizes each allows. A target
// names the one it is held to; the protocol and cipher checks grade their
// findings by it.
const (
	// ProfileModern: TLS 1.3 only, for services whose clients are all
	// recent (an API used only by the team's own apps).
	ProfileModern = "modern"
	// ProfileIntermediate: TLS 1.2 and 1.3, forward-secret AEAD suites,
	// DH of 2048 bits or more. The general-purpose default.
	ProfileIntermediate = "intermediate"
	// ProfileOld: also TLS 1.0 and 1.1, CBC, static RSA and 3DES, DH of
	// 1024 bits, for services that must serve very old clients.
	ProfileOld = "old"
)

// DefaultProfile is the profile of targets that do not name one.
const DefaultProfile = ProfileIntermediate

// Profiles lists the profile names, strictest first.
var Profiles = []string{ProfileModern, ProfileIntermediate, ProfileOld}

// ParseProfile checks a profile name (case-insensitive) and returns its
// canonical form; empty means DefaultProfile.
func ParseProfile(name string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return DefaultProfile, nil
	}
	if !slices.Contains(Profiles, n) {
		return "", fmt.Errorf("unknown profile %s (want %s)", textsafe.Quote(name, 100), strings.Join(Profiles, ", "))
	}
	return n, nil
}

// EffectiveProfile is the profile t is graded against.
func (t *Target) EffectiveProfile() string {
	if p, err := ParseProfile(t.Profile); err == nil {
		return p
	}
	return DefaultProfile
}
