// Package clientsim simulates which clients can connect to a server from
// what the scan already observed: the enumeration (versions and suites
// the server accepts, and whose preference decides) and the served chain,
// verified against each client's own trust store. It opens no
// connection; where the observations do not decide an outcome, it says
// so instead of guessing.
package clientsim

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/clientdata"
	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// A Verdict says whether a client connects.
type Verdict string

const (
	Connects  Verdict = "connects"
	Fails     Verdict = "fails"
	Undecided Verdict = "undecided"
)

// An Outcome is one client's simulated connection.
type Outcome struct {
	Client  string
	Verdict Verdict
	// Version and Suite are what would be negotiated; Suite is 0 when the
	// server's preference is unknown and more than one suite is shared.
	Version uint16
	Suite   uint16
	// Reason says, for Fails and Undecided, why, in words a user checks
	// against the server's configuration.
	Reason string
	// Store is the trust store the chain was verified against.
	Store string
}

// Input is what the simulation reads.
type Input struct {
	Enum *enum.Enumeration
	// Chain is the served chain, leaf first.
	Chain []*x509.Certificate
	// Roots, when set, replace every client's own store: a private PKI's
	// clients are given its CA (the target's ca), so only the handshake
	// parameters are simulated.
	Roots     *x509.CertPool
	RootsName string
	// PlatformStore is the store a "platform" profile (OkHttp, Dart) uses.
	PlatformStore string
	Now           time.Time
	// Pool, when set, gives a store's roots instead of the embedded
	// snapshot (tests: a synthetic store holding a test root).
	Pool func(storeID string) *x509.CertPool
}

// Simulator verifies each trust store once across the clients of one
// target.
type Simulator struct {
	in     Input
	trusts map[string]handshake.Trust
}

func New(in Input) *Simulator { return &Simulator{in: in, trusts: map[string]handshake.Trust{}} }

// Simulate runs one client.
func (s *Simulator) Simulate(p *clientdata.Profile) Outcome {
	o := Outcome{Client: p.ID}
	fail := func(format string, a ...any) Outcome {
		o.Verdict, o.Reason = Fails, fmt.Sprintf(format, a...)
		return o
	}
	e := s.in.Enum
	// The server answers with the highest version both support; a client
	// that gets a handshake failure there does not retry lower (only
	// browsers' old fallback did, and TLS_FALLBACK_SCSV ends it).
	var v *enum.ProtocolSupport
	for i := len(e.Versions) - 1; i >= 0; i-- {
		ps := &e.Versions[i]
		if ps.Version < p.MinVersion || ps.Version > p.MaxVersion {
			continue
		}
		if ps.Error != "" && !ps.Accepted {
			o.Verdict, o.Reason = Undecided, fmt.Sprintf("whether the server accepts %s is unknown: %s", tlsinfo.VersionName(ps.Version), ps.Error)
			return o
		}
		if ps.Accepted {
			v = ps
			break
		}
	}
	if v == nil {
		return fail("no shared protocol version: the server accepts %s; the client offers %s to %s",
			versionList(e.AcceptedVersions()), tlsinfo.VersionName(p.MinVersion), tlsinfo.VersionName(p.MaxVersion))
	}
	o.Version = v.Version
	shared := sharedSuites(v, p)
	if len(shared) == 0 {
		if v.Error != "" {
			o.Verdict, o.Reason = Undecided, fmt.Sprintf("no shared %s suite among those seen, but the list is incomplete: %s", tlsinfo.VersionName(v.Version), v.Error)
			return o
		}
		return fail("no shared cipher suite at %s: the server accepts %s; the client offers %s",
			tlsinfo.VersionName(v.Version), suiteList(acceptedIDs(v)), suiteList(offered(p, v.Version)))
	}
	// Suites the client would refuse once it sees the server's key
	// exchange (a DH prime below its minimum).
	var usable []enum.AcceptedSuite
	var refused string
	for _, a := range shared {
		if a.DHBits > 0 && p.Limits.MinDHBits > 0 && a.DHBits < p.Limits.MinDHBits {
			refused = fmt.Sprintf("the server's %d-bit DH group is below the client's minimum of %d bits (%s)", a.DHBits, p.Limits.MinDHBits, tlsinfo.Suite(a.ID).Name)
			continue
		}
		usable = append(usable, a)
	}
	chosen, decided := choose(v, p, shared)
	switch {
	case len(usable) == 0:
		return fail("%s", refused)
	case decided && !slices.ContainsFunc(usable, func(a enum.AcceptedSuite) bool { return a.ID == chosen }):
		return fail("%s", refused)
	case !decided && len(usable) < len(shared):
		o.Verdict, o.Reason = Undecided, "the server's suite preference is unknown and some shared suites would fail: "+refused
		return o
	}
	if decided {
		o.Suite = chosen
	}
	if len(p.Groups) > 0 && v.Groups != nil && needsGroup(v.Version, o.Suite, shared) && !sharesGroup(v.Groups, p.Groups) {
		return fail("no shared key-exchange group at %s: the server accepts %s; the client offers %s",
			tlsinfo.VersionName(v.Version), groupList(v.Groups), groupList(p.Groups))
	}
	if len(s.in.Chain) > 0 {
		if r := keyRefusal(p, s.in.Chain); r != "" {
			return fail("%s", r)
		}
		if r, store := s.trust(p); r != "" {
			o.Store = store
			return fail("%s", r)
		} else {
			o.Store = store
		}
	}
	o.Verdict = Connects
	return o
}

// trust verifies the chain against the client's store and says why the
// client would refuse it ("" when it would not).
func (s *Simulator) trust(p *clientdata.Profile) (string, string) {
	if s.in.Roots != nil {
		return "", s.in.RootsName
	}
	st := p.StoreFor(s.in.PlatformStore)
	if st == nil {
		return "", ""
	}
	t, ok := s.trusts[st.ID]
	if !ok {
		pool := st.Pool()
		if s.in.Pool != nil {
			pool = s.in.Pool(st.ID)
		}
		t = handshake.VerifyChain(s.in.Chain, pool, st.ID, s.in.Now)
		s.trusts[st.ID] = t
	}
	switch t.Status {
	case handshake.TrustOK:
		return "", st.ID
	case handshake.TrustIncomplete:
		if p.AIAFetching && len(t.IssuerURLs) > 0 {
			return "", st.ID // fetches the intermediate from the leaf's AIA URL
		}
		return "the server does not send the intermediate " + quote(t.MissingIssuer) + " and this client does not fetch it", st.ID
	case handshake.TrustUnknown, handshake.TrustSelfSigned:
		return "its trust store (" + st.ID + ") lacks the root: " + t.Detail, st.ID
	}
	return "its trust store (" + st.ID + ") refuses the chain: " + t.Detail, st.ID
}

// keyRefusal is why p refuses the served keys or signatures, or "".
func keyRefusal(p *clientdata.Profile, chain []*x509.Certificate) string {
	for i, c := range chain {
		if i > 0 && certinfo.SelfIssued(c) {
			continue // a root is trusted for being in the store
		}
		if k, ok := c.PublicKey.(*rsa.PublicKey); ok && p.Limits.MinRSABits > 0 && k.N.BitLen() < p.Limits.MinRSABits {
			return fmt.Sprintf("%s has a %d-bit RSA key; the client requires at least %d bits", quote(c.Subject.String()), k.N.BitLen(), p.Limits.MinRSABits)
		}
		if k, ok := c.PublicKey.(*ecdsa.PublicKey); ok && p.Limits.MinECDSABits > 0 && k.Curve.Params().BitSize < p.Limits.MinECDSABits {
			return fmt.Sprintf("%s has a %d-bit EC key; the client requires at least %d bits", quote(c.Subject.String()), k.Curve.Params().BitSize, p.Limits.MinECDSABits)
		}
		if p.Limits.RequiresSHA2Certificates && certinfo.WeakHash(c.SignatureAlgorithm) != "" {
			return fmt.Sprintf("%s is signed with %s; the client requires SHA-2 signatures", quote(c.Subject.String()), c.SignatureAlgorithm)
		}
	}
	return ""
}

// sharedSuites are the suites the server accepted at v that p offers, in
// the enumeration's order.
func sharedSuites(v *enum.ProtocolSupport, p *clientdata.Profile) []enum.AcceptedSuite {
	off := offered(p, v.Version)
	var out []enum.AcceptedSuite
	for _, a := range v.Suites {
		if slices.Contains(off, a.ID) {
			out = append(out, a)
		}
	}
	return out
}

// offered are p's suites usable at version v: TLS 1.3 suites only at 1.3,
// the others only below it.
func offered(p *clientdata.Profile, v uint16) []uint16 {
	var out []uint16
	for _, id := range p.Suites {
		if tlsinfo.Suite(id).TLS13 == (v == tlsinfo.VersionTLS13) {
			out = append(out, id)
		}
	}
	return out
}

// choose is the suite negotiated, when the observations decide it.
func choose(v *enum.ProtocolSupport, p *clientdata.Profile, shared []enum.AcceptedSuite) (uint16, bool) {
	switch {
	case len(shared) == 1:
		return shared[0].ID, true
	case v.SuitePreference == enum.PreferServer:
		return shared[0].ID, true // enumeration lists them in the server's order
	case v.SuitePreference == enum.PreferClient:
		for _, id := range p.Suites {
			if slices.ContainsFunc(shared, func(a enum.AcceptedSuite) bool { return a.ID == id }) {
				return id, true
			}
		}
	}
	return 0, false
}

func needsGroup(v, chosen uint16, shared []enum.AcceptedSuite) bool {
	if v == tlsinfo.VersionTLS13 {
		return true
	}
	if chosen != 0 {
		return tlsinfo.Suite(chosen).EllipticDH()
	}
	return !slices.ContainsFunc(shared, func(a enum.AcceptedSuite) bool { return !tlsinfo.Suite(a.ID).EllipticDH() })
}

func sharesGroup(server, client []uint16) bool {
	return slices.ContainsFunc(server, func(g uint16) bool { return slices.Contains(client, g) })
}

func acceptedIDs(v *enum.ProtocolSupport) []uint16 {
	var out []uint16
	for _, a := range v.Suites {
		out = append(out, a.ID)
	}
	return out
}

// maxListed bounds the lists quoted in a reason.
const maxListed = 6

func suiteList(ids []uint16) string {
	return list(ids, func(id uint16) string { return tlsinfo.Suite(id).Name })
}

func groupList(ids []uint16) string { return list(ids, tlsinfo.GroupName) }

func versionList(vs []uint16) string {
	if len(vs) == 0 {
		return "no version"
	}
	return list(vs, tlsinfo.VersionName)
}

func list(ids []uint16, name func(uint16) string) string {
	if len(ids) == 0 {
		return "none"
	}
	var parts []string
	for i, id := range ids {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("and %d more", len(ids)-maxListed))
			break
		}
		n := name(id)
		if n == "" {
			n = fmt.Sprintf("0x%04X", id)
		}
		parts = append(parts, n)
	}
	return strings.Join(parts, ", ")
}

func quote(s string) string { return fmt.Sprintf("%q", s) }
