package enum

import (
	"fmt"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
)

// Enumeration is every protocol version and cipher suite the server
// accepts, with what it revealed about its key exchange: the matrix the
// protocol and cipher checks read.
type Enumeration struct {
	// Versions has one entry per version probed, SSL 3.0 to TLS 1.3, oldest
	// first, accepted or not.
	Versions []ProtocolSupport
	// Connections is how many connections the enumeration opened; Duration
	// how long it took.
	Connections int
	Duration    time.Duration
}

// ProtocolSupport is what one protocol version offered on its own showed.
type ProtocolSupport struct {
	Version  uint16
	Accepted bool
	// Suites are the accepted cipher suites: in the server's order of
	// preference when SuitePreference is PreferServer, else in the order
	// the probes offered them.
	Suites          []AcceptedSuite
	SuitePreference Preference
	// Groups are the key-exchange groups accepted, in the same sense as
	// Suites. They are probed for TLS 1.3 (every group kind) and for the
	// newest version below it (elliptic curves for ECDHE suites); nil for
	// the others.
	Groups          []uint16
	GroupPreference Preference
	// Error says why the lists may be incomplete: a probe after the first
	// failed (timeout, reset) or the server answered nonsense.
	Error string
}

// AcceptedSuite is one accepted cipher suite and the key-exchange facts
// its probe revealed.
type AcceptedSuite struct {
	ID uint16
	// DHBits is the size of the DH prime the server sent, for finite-field
	// DHE suites.
	DHBits int
	// Group is the elliptic curve of a TLS 1.0-1.2 ECDHE suite, or the
	// key-share group of a TLS 1.3 suite; 0 when not learned.
	Group uint16
}

// Info classifies the suite.
func (a AcceptedSuite) Info() tlsinfo.SuiteInfo { return tlsinfo.Suite(a.ID) }

// Preference says whose order decides a negotiation.
type Preference string

const (
	// PreferServer: the server picks by its own order whatever the client
	// prefers (as Mozilla's "old" profile asks).
	PreferServer Preference = "server"
	// PreferClient: the server takes the client's first acceptable choice.
	PreferClient Preference = "client"
	// PreferUnknown: fewer than two accepted, or the probes disagreed.
	PreferUnknown Preference = ""
)

// Version returns the entry for version v, or nil when v was not probed.
func (e *Enumeration) Version(v uint16) *ProtocolSupport {
	for i := range e.Versions {
		if e.Versions[i].Version == v {
			return &e.Versions[i]
		}
	}
	return nil
}

// Accepts reports whether the server accepted version v.
func (e *Enumeration) Accepts(v uint16) bool {
	p := e.Version(v)
	return p != nil && p.Accepted
}

// AcceptedVersions lists the accepted versions, oldest first.
func (e *Enumeration) AcceptedVersions() []uint16 {
	var vs []uint16
	for _, p := range e.Versions {
		if p.Accepted {
			vs = append(vs, p.Version)
		}
	}
	return vs
}

// A VersionedSuite is an accepted suite with the version it was accepted
// under.
type VersionedSuite struct {
	Version uint16
	AcceptedSuite
}

// AllSuites lists every accepted (version, suite) pair, oldest version
// first, each version's suites in its listed order.
func (e *Enumeration) AllSuites() []VersionedSuite {
	var out []VersionedSuite
	for _, p := range e.Versions {
		for _, s := range p.Suites {
			out = append(out, VersionedSuite{p.Version, s})
		}
	}
	return out
}

// Incomplete says which probes failed, so that the lists may lack
// something the server accepts; nil when none did. A check that finds
// nothing returns it: "nothing" is a verdict only from complete lists.
func (e *Enumeration) Incomplete() error {
	var errs []string
	for _, v := range e.Versions {
		if v.Error != "" {
			errs = append(errs, v.Error)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("enumeration incomplete: %s", strings.Join(errs, "; "))
}
