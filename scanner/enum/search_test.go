package enum

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// simServer answers probe hellos as a configured server would, without
// sockets, so the enumeration algorithm can be tested exactly.
type simServer struct {
	// suites are the accepted suites per version, in the server's order.
	suites map[uint16][]uint16
	// groups are the accepted groups per version (ECDHE curves below TLS
	// 1.3), in the server's order.
	groups map[uint16][]uint16
	// serverOrder picks by the server's order; otherwise by the client's.
	serverOrder bool
	dhBits      int
	// fail makes every probe of a version fail.
	fail map[uint16]error
	// always, if set, is chosen whatever is offered (a broken server).
	always uint16

	mu    sync.Mutex
	calls []Hello
}

func (s *simServer) exchange(_ context.Context, h Hello) (probeReply, error) {
	s.mu.Lock()
	s.calls = append(s.calls, h)
	s.mu.Unlock()
	if err := s.fail[h.Version]; err != nil {
		return probeReply{}, err
	}
	v := h.Version
	if _, ok := s.suites[v]; !ok {
		// Like real servers, answer an older version the client allows;
		// TLS 1.3 is offered alone through supported_versions.
		v = 0
		for cand := range s.suites {
			if h.Version != tlsinfo.VersionTLS13 && cand < h.Version && cand > v {
				v = cand
			}
		}
		if v == 0 {
			return probeReply{}, nil // protocol_version
		}
	}
	if s.always != 0 {
		return probeReply{accepted: true, version: v, suite: s.always}, nil
	}
	group := s.pick(s.groups[v], h.Groups)
	suite := s.pick(slices.DeleteFunc(slices.Clone(s.suites[v]), func(id uint16) bool {
		// Elliptic-curve suites and TLS 1.3 need a common group.
		return (tlsinfo.Suite(id).EllipticDH() || v == tlsinfo.VersionTLS13) && group == 0
	}), h.Suites)
	if suite == 0 {
		return probeReply{}, nil // handshake_failure
	}
	r := probeReply{accepted: true, version: v, suite: suite}
	if tlsinfo.Suite(suite).EllipticDH() || v == tlsinfo.VersionTLS13 {
		r.group = group
	}
	if tlsinfo.Suite(suite).FiniteFieldDH() {
		r.dhBits = s.dhBits
	}
	return r, nil
}

func (s *simServer) pick(server, client []uint16) uint16 {
	pref, other := client, server
	if s.serverOrder {
		pref, other = server, client
	}
	for _, id := range pref {
		if slices.Contains(other, id) {
			return id
		}
	}
	return 0
}

const (
	ecdheRSAGCM = 0xC02F // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	ecdheRSACBC = 0xC013 // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
	rsaGCM      = 0x009C // TLS_RSA_WITH_AES_128_GCM_SHA256
	rsa3DES     = 0x000A // TLS_RSA_WITH_3DES_EDE_CBC_SHA
	dheRSAGCM   = 0x009E // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
	x25519      = 0x001D
	p256        = 0x0017
	p384        = 0x0018
	mlkem       = 0x11EC
)

func suiteIDs(ss []AcceptedSuite) []uint16 {
	var ids []uint16
	for _, s := range ss {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestEnumerateServerOrder(t *testing.T) {
	sim := &simServer{
		serverOrder: true,
		// An order no client would offer: 3DES first.
		suites: map[uint16][]uint16{
			tlsinfo.VersionTLS12: {rsa3DES, ecdheRSAGCM, rsaGCM},
			tlsinfo.VersionTLS13: {0x1302, 0x1301},
		},
		groups: map[uint16][]uint16{tlsinfo.VersionTLS12: {p384, x25519}, tlsinfo.VersionTLS13: {mlkem, x25519}},
	}
	e, err := runEnumeration(context.Background(), "example.test", sim.exchange)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.AcceptedVersions(); !slices.Equal(got, []uint16{tlsinfo.VersionTLS12, tlsinfo.VersionTLS13}) {
		t.Fatalf("accepted %04x", got)
	}
	v12, v13 := e.Version(tlsinfo.VersionTLS12), e.Version(tlsinfo.VersionTLS13)
	if got := suiteIDs(v12.Suites); !slices.Equal(got, sim.suites[tlsinfo.VersionTLS12]) || v12.SuitePreference != PreferServer {
		t.Errorf("TLS 1.2 suites %04x (%q), want the server's order %04x", got, v12.SuitePreference, sim.suites[tlsinfo.VersionTLS12])
	}
	if got := suiteIDs(v13.Suites); !slices.Equal(got, sim.suites[tlsinfo.VersionTLS13]) || v13.SuitePreference != PreferServer {
		t.Errorf("TLS 1.3 suites %04x (%q)", got, v13.SuitePreference)
	}
	if !slices.Equal(v12.Groups, []uint16{p384, x25519}) || v12.GroupPreference != PreferServer {
		t.Errorf("TLS 1.2 groups %04x (%q)", v12.Groups, v12.GroupPreference)
	}
	if !slices.Equal(v13.Groups, []uint16{mlkem, x25519}) || v13.GroupPreference != PreferServer {
		t.Errorf("TLS 1.3 groups %04x (%q)", v13.Groups, v13.GroupPreference)
	}
	if g := v12.Suites[1].Group; g != p384 {
		t.Errorf("ECDHE suite learned group %04x, want the server's favourite p384", g)
	}
	// 5 version probes; per accepted version one per further suite, one
	// refusal and one preference probe; per group loop one per group, one
	// refusal and one preference probe.
	if want := 5 + (2 + 1 + 1) + (1 + 1 + 1) + (2 + 1 + 1) + (2 + 1 + 1); len(sim.calls) != want {
		t.Errorf("%d connections, want %d", len(sim.calls), want)
	}
	// TLS 1.3 groups are enumerated with empty key shares, so the server
	// names its choice in a HelloRetryRequest.
	for _, h := range sim.calls {
		if h.Version == tlsinfo.VersionTLS13 && !h.KeyShares && len(h.Suites) != 5 {
			t.Errorf("TLS 1.3 group probe offers %d suites, want all 5", len(h.Suites))
		}
	}
}

func TestEnumerateClientOrder(t *testing.T) {
	sim := &simServer{
		suites: map[uint16][]uint16{tlsinfo.VersionTLS12: {rsa3DES, rsaGCM, ecdheRSAGCM}},
		groups: map[uint16][]uint16{tlsinfo.VersionTLS12: {p384, x25519}},
	}
	e, err := runEnumeration(context.Background(), "", sim.exchange)
	if err != nil {
		t.Fatal(err)
	}
	v := e.Version(tlsinfo.VersionTLS12)
	// The client's (our) order: forward-secret AEAD first, 3DES last.
	if got := suiteIDs(v.Suites); !slices.Equal(got, []uint16{ecdheRSAGCM, rsaGCM, rsa3DES}) || v.SuitePreference != PreferClient {
		t.Errorf("suites %04x (%q), want the offered order and client preference", got, v.SuitePreference)
	}
	if !slices.Equal(v.Groups, []uint16{x25519, p384}) || v.GroupPreference != PreferClient {
		t.Errorf("groups %04x (%q)", v.Groups, v.GroupPreference)
	}
}

func TestEnumerateOlderAnswerIsNotAcceptance(t *testing.T) {
	// A TLS 1.0-only server answers TLS 1.1 and 1.2 hellos with TLS 1.0.
	sim := &simServer{suites: map[uint16][]uint16{tlsinfo.VersionTLS10: {ecdheRSACBC, rsa3DES}}, groups: map[uint16][]uint16{tlsinfo.VersionTLS10: {p256}}}
	e, err := runEnumeration(context.Background(), "", sim.exchange)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.AcceptedVersions(); !slices.Equal(got, []uint16{tlsinfo.VersionTLS10}) {
		t.Errorf("accepted %04x, want TLS 1.0 only", got)
	}
	if v := e.Version(tlsinfo.VersionTLS10); !slices.Equal(v.Groups, []uint16{p256}) {
		t.Errorf("TLS 1.0 groups %04x; the group loop runs on the newest version below 1.3", v.Groups)
	}
}

func TestEnumerateDHBits(t *testing.T) {
	sim := &simServer{serverOrder: true, dhBits: 1024, suites: map[uint16][]uint16{tlsinfo.VersionTLS12: {dheRSAGCM, rsaGCM}}}
	e, err := runEnumeration(context.Background(), "", sim.exchange)
	if err != nil {
		t.Fatal(err)
	}
	s := e.Version(tlsinfo.VersionTLS12).Suites
	if len(s) != 2 || s[0].DHBits != 1024 || s[1].DHBits != 0 {
		t.Errorf("suites %+v, want the DHE one with 1024 bits", s)
	}
}

func TestEnumerateProbeErrors(t *testing.T) {
	timeout := &netx.ScanError{Kind: netx.KindHandshakeTimeout, Err: errors.New("silent")}
	sim := &simServer{
		suites: map[uint16][]uint16{tlsinfo.VersionTLS12: {ecdheRSAGCM}},
		groups: map[uint16][]uint16{tlsinfo.VersionTLS12: {x25519}},
		fail:   map[uint16]error{tlsinfo.VersionSSL30: timeout},
	}
	e, err := runEnumeration(context.Background(), "", sim.exchange)
	if err != nil {
		t.Fatalf("one failed version failed the whole enumeration: %v", err)
	}
	if v := e.Version(tlsinfo.VersionSSL30); v.Accepted || v.Error == "" {
		t.Errorf("SSL 3.0: %+v, want not accepted with an error", v)
	}
	if !e.Accepts(tlsinfo.VersionTLS12) || e.Version(tlsinfo.VersionTLS12).Error != "" {
		t.Errorf("TLS 1.2: %+v", e.Version(tlsinfo.VersionTLS12))
	}

	for _, v := range tlsinfo.Versions {
		sim.fail[v] = timeout
	}
	if _, err := runEnumeration(context.Background(), "", sim.exchange); err == nil {
		t.Error("no error when every probe failed")
	}
}

func TestEnumerateBrokenServerTerminates(t *testing.T) {
	// A server that picks the same suite whatever is offered must not
	// keep the loop going.
	sim := &simServer{suites: map[uint16][]uint16{tlsinfo.VersionTLS12: {ecdheRSAGCM}}, always: ecdheRSAGCM}
	e, err := runEnumeration(context.Background(), "", sim.exchange)
	if err != nil {
		t.Fatal(err)
	}
	v := e.Version(tlsinfo.VersionTLS12)
	if len(v.Suites) != 1 || v.Error == "" {
		t.Errorf("TLS 1.2: %+v, want one suite and an error about the unoffered one", v)
	}
	if len(sim.calls) > 20 {
		t.Errorf("%d probes against a server that always answers the same", len(sim.calls))
	}
}

func TestBoundedExchange(t *testing.T) {
	var active, peak atomic.Int32
	inner := func(context.Context, Hello) (probeReply, error) {
		n := active.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(time.Millisecond) // let the others pile up
		active.Add(-1)
		return probeReply{}, nil // handshake_failure
	}
	x := bounded(3, inner)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() { _, _ = x(context.Background(), Hello{}) })
	}
	wg.Wait()
	if p := peak.Load(); p > 3 {
		t.Errorf("%d probes at once, bound is 3", p)
	}

	ctx, cancel := context.WithCancel(context.Background())
	started, block := make(chan struct{}), make(chan struct{})
	x = bounded(1, func(context.Context, Hello) (probeReply, error) {
		close(started)
		<-block
		return probeReply{}, nil
	})
	go func() { _, _ = x(ctx, Hello{}) }()
	<-started // the only slot is taken
	done := make(chan error)
	go func() { _, err := x(ctx, Hello{}); done <- err }()
	cancel()
	if err := <-done; err == nil {
		t.Error("a probe waiting for a slot did not give up when the target was canceled")
	}
	close(block)
}

// TestEnumerateLegacyGroupsFromFirstAnswer: below TLS 1.3 the version's
// first answer, an ECDHE suite, names the curve the group loop's first
// hello would get, so the loop starts from it: one connection fewer, the
// same groups.
func TestEnumerateLegacyGroupsFromFirstAnswer(t *testing.T) {
	for _, serverOrder := range []bool{false, true} {
		sim := &simServer{
			serverOrder: serverOrder,
			suites:      map[uint16][]uint16{tlsinfo.VersionTLS12: {ecdheRSAGCM, rsaGCM}},
			groups:      map[uint16][]uint16{tlsinfo.VersionTLS12: {p384, x25519}},
		}
		e, err := runEnumeration(context.Background(), "example.test", sim.exchange)
		if err != nil {
			t.Fatal(err)
		}
		v12 := e.Version(tlsinfo.VersionTLS12)
		want := []uint16{x25519, p384} // the probes' order
		if serverOrder {
			want = sim.groups[tlsinfo.VersionTLS12]
		}
		if !slices.Equal(v12.Groups, want) {
			t.Errorf("server order %v: groups %04x, want %04x", serverOrder, v12.Groups, want)
		}
		// 5 version probes; TLS 1.2 suites: one more suite, a refusal, the
		// preference; groups: the second curve, a refusal, the preference.
		if want := 5 + 3 + 3; len(sim.calls) != want {
			t.Errorf("server order %v: %d connections, want %d", serverOrder, len(sim.calls), want)
		}
	}
}
