package enum

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
)

// probeReply is how the server answered one probe hello.
type probeReply struct {
	// accepted is true when the server answered with a ServerHello (or a
	// HelloRetryRequest); the other fields then say what it chose. A
	// refusal (an alert, a hang-up) is the zero reply: nothing reports how
	// the server refused.
	accepted bool
	version  uint16
	suite    uint16
	// group is the TLS 1.3 key-share group, or the curve of a TLS 1.0-1.2
	// ECDHE ServerKeyExchange.
	group  uint16
	dhBits int
}

// accepts reports whether the reply accepts version v exactly: a server
// may answer a TLS 1.1 hello with TLS 1.0, which accepts TLS 1.0, not 1.1.
func (r probeReply) accepts(v uint16) bool { return r.accepted && r.version == v }

// An exchangeFunc sends one probe hello and returns the answer. An error
// means the probe could not tell (timeout, not TLS), never a refusal.
type exchangeFunc func(ctx context.Context, h Hello) (probeReply, error)

// runEnumeration is the enumeration algorithm, apart from sockets so it
// can be tested against simulated servers.
//
// Each version is offered on its own with every suite there is; the suite
// the server picks is accepted, and is removed from the next offer until
// the server refuses, so a version costs one connection per accepted
// suite plus one. A server honouring its own order picks its favourite
// each time, which gives its preference order; one more hello offering the
// two first suites in reverse tells whether it does. Groups are enumerated
// the same way. The first hello of every version goes out at once; the
// loops that follow run side by side, each loop one connection at a time.
// xchg bounds how many connections are open at once.
func runEnumeration(ctx context.Context, sni string, xchg exchangeFunc) (*Enumeration, error) {
	n := len(tlsinfo.Versions)
	e := &Enumeration{Versions: make([]ProtocolSupport, n)}
	first := make([]probeReply, n)
	firstErr := make([]error, n)
	var wg sync.WaitGroup
	for i, v := range tlsinfo.Versions {
		e.Versions[i].Version = v
		wg.Go(func() { first[i], firstErr[i] = xchg(ctx, suiteHello(v, tlsinfo.OfferSuites(v), sni)) })
	}
	wg.Wait()
	failed := 0
	for i, err := range firstErr {
		if err != nil {
			failed++
			e.Versions[i].Error = fmt.Sprintf("could not tell whether %s is accepted: %v", tlsinfo.VersionName(tlsinfo.Versions[i]), err)
		}
	}
	if failed == n {
		return e, fmt.Errorf("every protocol probe failed: %w", errors.Join(firstErr...))
	}

	// The group loop below TLS 1.3 runs on the newest such version
	// accepted: servers configure curves once for all of them.
	legacyGroups := -1
	for i, v := range tlsinfo.Versions {
		if v != tlsinfo.VersionSSL30 && v != tlsinfo.VersionTLS13 && first[i].accepts(v) {
			legacyGroups = i
		}
	}
	groupErr := make([]string, n)
	for i, v := range tlsinfo.Versions {
		if !first[i].accepts(v) {
			continue
		}
		p := &e.Versions[i]
		p.Accepted = true
		wg.Go(func() { suiteLoop(ctx, sni, xchg, p, first[i]) })
		if v == tlsinfo.VersionTLS13 || i == legacyGroups {
			wg.Go(func() { p.Groups, p.GroupPreference, groupErr[i] = groupLoop(ctx, sni, xchg, v, first[i]) })
		}
	}
	wg.Wait()
	for i := range e.Versions {
		p := &e.Versions[i]
		p.Error = strings.Join(slices.DeleteFunc([]string{p.Error, groupErr[i]}, func(s string) bool { return s == "" }), "; ")
	}
	return e, nil
}

func suiteHello(v uint16, suites []uint16, sni string) Hello {
	return Hello{Version: v, Suites: suites, Groups: tlsinfo.OfferGroups(v), ServerName: sni, KeyShares: true}
}

// suiteLoop enumerates the suites of an accepted version, starting from
// the answer to its first hello, then asks whose order counts.
func suiteLoop(ctx context.Context, sni string, xchg exchangeFunc, p *ProtocolSupport, r probeReply) {
	v := p.Version
	offered := tlsinfo.OfferSuites(v)
	for r.accepts(v) {
		if !slices.Contains(offered, r.suite) {
			p.Error = fmt.Sprintf("server chose %s, which was not offered", tlsinfo.Suite(r.suite).Name)
			break
		}
		p.Suites = append(p.Suites, AcceptedSuite{ID: r.suite, DHBits: r.dhBits, Group: r.group})
		if offered = without(offered, r.suite); len(offered) == 0 {
			break
		}
		var err error
		if r, err = xchg(ctx, suiteHello(v, offered, sni)); err != nil {
			p.Error = fmt.Sprintf("%s suite list may be incomplete: %v", tlsinfo.VersionName(v), err)
			break
		}
	}
	if len(p.Suites) < 2 {
		return
	}
	top, second := p.Suites[0].ID, p.Suites[1].ID
	r, err := xchg(ctx, suiteHello(v, []uint16{second, top}, sni))
	if err == nil && r.accepts(v) {
		p.SuitePreference = whose(r.suite, top, second)
	}
}

// groupLoop enumerates the key-exchange groups of version v. In TLS 1.3
// the hellos carry no key share, so the server names the group it wants
// in a HelloRetryRequest; below TLS 1.3 they offer only ECDHE suites and
// the ServerKeyExchange names the curve.
//
// Below TLS 1.3, when the version's first hello (every suite, every
// group) got an ECDHE suite, its curve stands in for the answer to the
// loop's own first hello (the ECDHE suites of that offer, every group),
// saving a connection: the loop reads only the curve, and a server picks
// the curve from the same group list whichever ECDHE suite it takes.
func groupLoop(ctx context.Context, sni string, xchg exchangeFunc, v uint16, first probeReply) ([]uint16, Preference, string) {
	suites := tlsinfo.OfferSuites(v)
	if v != tlsinfo.VersionTLS13 {
		suites = slices.DeleteFunc(suites, func(id uint16) bool { return !tlsinfo.Suite(id).EllipticDH() })
	}
	hello := func(groups []uint16) Hello {
		return Hello{Version: v, Suites: suites, Groups: groups, ServerName: sni}
	}
	var accepted []uint16
	var problem string
	offered := tlsinfo.OfferGroups(v)
	known := v != tlsinfo.VersionTLS13 && first.accepts(v) && first.group != 0 && tlsinfo.Suite(first.suite).EllipticDH()
	for len(offered) > 0 {
		r, err := first, error(nil)
		if !known {
			r, err = xchg(ctx, hello(offered))
		}
		known = false
		if err != nil {
			problem = fmt.Sprintf("%s group list may be incomplete: %v", tlsinfo.VersionName(v), err)
			break
		}
		if !r.accepts(v) || r.group == 0 {
			break
		}
		if !slices.Contains(offered, r.group) {
			problem = fmt.Sprintf("server chose group %s, which was not offered", tlsinfo.GroupName(r.group))
			break
		}
		accepted = append(accepted, r.group)
		offered = without(offered, r.group)
	}
	if len(accepted) < 2 {
		return accepted, PreferUnknown, problem
	}
	top, second := accepted[0], accepted[1]
	r, err := xchg(ctx, hello([]uint16{second, top}))
	if err != nil || !r.accepts(v) {
		return accepted, PreferUnknown, problem
	}
	return accepted, whose(r.group, top, second), problem
}

// whose interprets the answer to an offer of second before top, where top
// is what the server picked when offered first.
func whose(picked, top, second uint16) Preference {
	switch picked {
	case top:
		return PreferServer
	case second:
		return PreferClient
	}
	return PreferUnknown
}

// without returns ids minus the ones in drop, keeping the order.
func without(ids []uint16, drop ...uint16) []uint16 {
	return slices.DeleteFunc(slices.Clone(ids), func(id uint16) bool { return slices.Contains(drop, id) })
}
