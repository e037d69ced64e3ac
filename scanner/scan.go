// Package scanner is the engine: it holds the vocabulary checks and
// reports share (Check, Pass, Finding, Severity, Target, Result), runs
// targets through a pool of workers, and takes each target through its
// flow: resolve the name once, run the shared handshake (package
// handshake), run the extra probes the selected checks need (enum,
// httpprobe), then run the checks, which only read. Every target yields
// exactly one Result (one per address with AllAddresses) whatever happens
// to it. The probes live in subpackages below the engine and never see a
// Target: probes.go translates one into each probe's config.
package scanner

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"net"
	"net/netip"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/tlsaudit/tlsaudit/scanner/grade"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// DefaultConcurrency is how many targets are scanned at once, and how many
// sockets may be open at once, unless Options say otherwise. Handshakes are
// CPU-bound on the client: beyond a few dozen in flight, more only adds
// queueing, while remote latency is hidden well below this.
const DefaultConcurrency = 64

// Options configure a Scanner.
type Options struct {
	// Checks run on every target (filtered by Target.Checks).
	Checks []*Check
	// Concurrency bounds the targets scanned at once and the sockets open
	// at once, across all probes of all targets.
	Concurrency int
	// Now is the scan clock; nil means time.Now.
	Now func() time.Time
	// Resolver looks names up; nil means net.DefaultResolver.
	Resolver *net.Resolver
	// Ordered makes Run emit results in input order, holding back targets
	// that finish before an earlier one. Without it results are emitted as
	// they complete (for streaming formats).
	Ordered bool
	// UserAgent identifies the tool in HTTP probes ("tlsaudit/VERSION");
	// empty means "tlsaudit".
	UserAgent string
	// MaxRedirects bounds the redirects the plain-HTTP probe follows; 0
	// means DefaultMaxRedirects.
	MaxRedirects int
	// HostConnections bounds the connections open at once to one IP
	// address for targets of protocols other than https (mail, directory,
	// database and other daemons that accept slowly); 0 means
	// DefaultHostConnections.
	HostConnections int
}

// DefaultHostConnections is the per-address connection limit for
// protocols other than https: the enumeration's own parallelism, so one
// target scans as fast as without it, while several ports of one mail
// server share it rather than flood its accept queue.
const DefaultHostConnections = 4

// A Scanner scans targets. It is safe for concurrent use.
type Scanner struct {
	checks  []*Check
	now     func() time.Time
	workers int
	ordered bool
	sockets *netx.Sockets
	hosts   *netx.HostLimit
	trust   *handshake.TrustCache
	crls    *handshake.CRLCache
	window  int
	sslv2   sslv2Keys

	userAgent    string
	maxRedirects int
}

// New returns a scanner.
func New(opts Options) *Scanner {
	s := &Scanner{
		checks:  opts.Checks,
		now:     opts.Now,
		workers: cmp.Or(opts.Concurrency, DefaultConcurrency),
		ordered: opts.Ordered,
		trust:   handshake.NewTrustCache(),
		crls:    handshake.NewCRLCache(),

		userAgent:    cmp.Or(opts.UserAgent, "tlsaudit"),
		maxRedirects: opts.MaxRedirects,
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.sockets = netx.NewSockets(s.workers, opts.Resolver)
	s.hosts = netx.NewHostLimit(cmp.Or(opts.HostConnections, DefaultHostConnections))
	s.window = orderWindow(s.workers)
	return s
}

// Run scans every target with a pool of Concurrency workers and hands each
// result to emit as it completes. emit calls are serialized. Targets are
// pulled from the sequence only as workers free up, so memory stays
// proportional to the concurrency, not the number of targets.
//
// Run returns an error only when emit fails (the report cannot be
// written) or this machine runs out of file descriptors (a
// *netx.ResourceError: no result is emitted after it, since the targets in
// flight could not be judged); a target that cannot be scanned is a
// Result with Err set. When ctx is canceled, targets not yet started are
// emitted as canceled results, so the report still has a row for every
// target.
func (s *Scanner) Run(ctx context.Context, targets iter.Seq[*Target], emit func(*Result) error) error {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	o := &output{emit: emit, stop: stop, ordered: s.ordered, pending: map[int][]*Result{}}
	o.room = sync.NewCond(&o.mu)
	ctx = netx.OnResourceFailure(ctx, func(re *netx.ResourceError) { o.fail(re) })
	var g errgroup.Group
	g.SetLimit(s.workers)
	seq := 0
	for t := range targets {
		n := seq
		seq++
		if ctx.Err() != nil {
			if o.failed() {
				break
			}
			o.done(n, []*Result{s.canceled(ctx, t)})
			continue
		}
		if s.ordered {
			o.waitRoom(n, s.window)
		}
		// Targets register for the SSLv2 shared-key bookkeeping in input
		// order, once running: see sslv2Keys.
		started := make(chan struct{})
		g.Go(func() error {
			if s.tracksSSLv2(t) {
				s.sslv2.expect(t)
			}
			close(started)
			var rs []*Result
			s.ScanTarget(ctx, t, func(r *Result) { rs = append(rs, r) })
			o.done(n, rs)
			return nil
		})
		<-started
	}
	_ = g.Wait()
	return o.err
}

// output serializes emit calls and, when ordered, releases each target's
// results only after those of every target before it.
type output struct {
	mu      sync.Mutex
	emit    func(*Result) error
	stop    context.CancelCauseFunc
	err     error
	ordered bool
	next    int
	pending map[int][]*Result
	room    *sync.Cond // signalled when next advances (order.go)
}

// fail stops the run with err, unless it has already stopped: nothing is
// emitted after it.
func (o *output) fail(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err == nil {
		o.err = err
		o.stop(err)
	}
	o.room.Broadcast()
}

func (o *output) failed() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err != nil
}

// done takes the results of the target at input position n.
func (o *output) done(n int, rs []*Result) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.ordered {
		o.send(rs)
		return
	}
	o.pending[n] = rs
	defer o.room.Broadcast()
	for {
		rs, ok := o.pending[o.next]
		if !ok {
			return
		}
		delete(o.pending, o.next)
		o.next++
		o.send(rs)
	}
}

func (o *output) send(rs []*Result) {
	for _, r := range rs {
		if o.err != nil {
			return
		}
		if err := o.emit(r); err != nil {
			o.err = err
			o.stop(err)
		}
	}
}

func (s *Scanner) canceled(ctx context.Context, t *Target) *Result {
	return &Result{
		Target: t,
		Start:  s.now(),
		Err:    netx.Classify(ctx, netx.PhaseDial, context.Cause(ctx)),
	}
}

// ScanTarget scans one target and passes its result (one per address with
// AllAddresses) to emit.
func (s *Scanner) ScanTarget(ctx context.Context, t *Target, emit func(*Result)) {
	start := s.now()
	ctx, cancel := context.WithTimeoutCause(ctx, cmp.Or(t.Deadline, DefaultDeadline), netx.ErrTargetDeadline)
	defer cancel()
	if s.tracksSSLv2(t) {
		s.sslv2.expect(t)
		defer s.sslv2.probed(t, "", "")
	}
	addrs, err := s.resolve(ctx, t)
	resolved := make([]string, len(addrs))
	for i, a := range addrs {
		resolved[i] = a.String()
	}
	if err != nil {
		emit(s.finish(&Result{Target: t, Start: start, Resolved: resolved, Err: err}, start))
		return
	}
	if !t.AllAddresses {
		addrs = addrs[:1]
	}
	for _, a := range addrs {
		r := &Result{
			Target:   t,
			Addr:     net.JoinHostPort(a.String(), strconv.Itoa(t.Port)),
			Resolved: resolved,
			Start:    s.now(),
		}
		s.probe(ctx, r)
		emit(s.finish(r, r.Start))
	}
}

// DefaultDeadline caps the time spent on one target when the target does
// not set Deadline.
const DefaultDeadline = 60 * time.Second

// probe runs the handshake and the probes the target's checks need, then
// the checks. A probe that fails leaves its observation nil and records
// why in probeErrs, which becomes a check error for each check that needed
// it: "could not decide", never a silent pass.
func (s *Scanner) probe(ctx context.Context, r *Result) {
	t := r.Target
	// Every connection to the TLS port goes through tlsPort: the
	// protocol's upgrade, and the count of connections the target cost.
	tlsPort := s.portDialer(t)
	defer func() { r.Connections = int(tlsPort.conns.Load()) }()
	selected := s.SelectedChecks(t)
	needs := needsOf(selected)
	hcfg := handshakeConfig(t)
	// The HTTPS request goes over the shared handshake's connection, at
	// once, before any other probe waits for a socket this one holds.
	hcfg.KeepOpen = needs&NeedHTTP != 0 && t.SpeaksHTTP()
	r.Handshake, r.Err = handshake.Run(ctx, tlsPort, hcfg, r.Addr)
	r.Upgrade = tlsPort.Facts()
	if r.Err != nil && r.Upgrade != nil && r.Upgrade.Upgraded && (r.Err.Kind == netx.KindProtocol || r.Err.Kind == netx.KindNotTLS) {
		// Plaintext where the ServerHello should be: after a go-ahead,
		// that is the server (or a man in the middle) still talking in
		// the clear.
		r.Err = &netx.ScanError{Kind: r.Err.Kind, Err: fmt.Errorf("after the %s go-ahead to TLS: %w", r.Upgrade.Protocol, r.Err.Err)}
	}
	if needs&NeedVulnerabilities != 0 {
		// Known as soon as the handshake ended, failed or not: other
		// targets' checks wait for this (sslv2Keys).
		key := ""
		if r.Handshake != nil && r.Handshake.Leaf() != nil {
			key = spkiSHA256(r.Handshake.Leaf().RawSubjectPublicKeyInfo)
		}
		s.sslv2.learnLeaf(t, key)
	}
	if r.Handshake != nil {
		s.trust.Learn(r.Handshake.Chain)
		r.Handshake.Trust = s.trust.Verify(r.Handshake.Chain, t.Roots, t.RootsName, s.now())
		for _, more := range t.MoreRoots {
			r.Handshake.MoreTrust = append(r.Handshake.MoreTrust, s.trust.Verify(r.Handshake.Chain, more.Pool, more.Name, s.now()))
		}
	}
	var web *httpProbes
	if needs&NeedHTTP != 0 {
		web = s.startHTTP(ctx, tlsPort, r)
	}
	handshake.Revocation(ctx, s.sockets, s.crls, r.Handshake, t.OnlineRevocation, t.connectTimeout())
	var probeErrs []probeError
	if needs&NeedEnumeration != 0 && enumerable(r) {
		var err error
		if r.Enum, err = enumerate(ctx, tlsPort, r); err != nil {
			probeErrs = append(probeErrs, probeError{NeedEnumeration, err})
		}
	}
	if needs&NeedVulnerabilities != 0 && r.Enum != nil {
		r.Vuln = probeVulnerabilities(ctx, tlsPort, r)
	}
	if needs&NeedVulnerabilities != 0 {
		s.sharedSSLv2Key(ctx, r)
	}
	if web != nil {
		r.HTTP = web.finish(r, needs)
	}
	s.runChecks(r, selected, probeErrs)
	if r.Handshake != nil || r.Enum != nil {
		g := grade.Of(grade.Input{Handshake: r.Handshake, Enum: r.Enum, HTTP: r.HTTP, ServerName: t.ServerName, Now: s.now()})
		r.Grade = &g
	}
}

// probeError is a failed probe and the observation it left missing. They
// are kept in the order the probes ran, so a check needing two failed
// probes always reports the first.
type probeError struct {
	need Needs
	err  error
}

// needsOf is the union of what checks read.
func needsOf(checks []*Check) Needs {
	var n Needs
	for _, c := range checks {
		n |= c.Needs
	}
	return n
}

func (s *Scanner) finish(r *Result, start time.Time) *Result {
	r.Duration = s.now().Sub(start)
	return r
}

// resolve returns the addresses to scan, in the resolver's order.
func (s *Scanner) resolve(ctx context.Context, t *Target) ([]netip.Addr, *netx.ScanError) {
	if t.Addr.IsValid() {
		return []netip.Addr{t.Addr}, nil
	}
	return s.sockets.LookupHost(ctx, t.Host)
}

// SelectedChecks returns the checks that run on t.
func (s *Scanner) SelectedChecks(t *Target) []*Check {
	var out []*Check
	for _, c := range s.checks {
		if t.Checks.Allows(c.ID) {
			out = append(out, c)
		}
	}
	return out
}

// runChecks runs the selected checks whose observations are present.
// Findings are sorted by severity, highest first, then by check order.
func (s *Scanner) runChecks(r *Result, selected []*Check, probeErrs []probeError) {
	now := s.now()
checks:
	for _, c := range selected {
		for _, pe := range probeErrs {
			if c.Needs&pe.need != 0 {
				r.CheckErrors = append(r.CheckErrors, CheckError{CheckID: c.ID, Err: pe.err.Error()})
				continue checks
			}
		}
		if !has(r, c.Needs) {
			continue
		}
		if err := RunCheck(c, r, now, func(f Finding) { r.Findings = append(r.Findings, f) }); err != nil {
			r.CheckErrors = append(r.CheckErrors, CheckError{CheckID: c.ID, Err: err.Error()})
		}
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int { return cmp.Compare(b.Severity, a.Severity) })
	markAccepted(r, selected, now)
}

// has reports whether r holds every observation in needs.
func has(r *Result, needs Needs) bool {
	switch {
	case needs&NeedHandshake != 0 && r.Handshake == nil,
		needs&NeedEnumeration != 0 && r.Enum == nil,
		needs&NeedHTTP != 0 && r.HTTP == nil,
		needs&NeedVulnerabilities != 0 && r.Vuln == nil,
		needs&NeedSource != 0 && r.Source == nil:
		return false
	}
	return true
}

// RunCheck runs one check on r, handing its findings to report, and turns
// a panic into an error so that one bad check cannot take a scan (or a
// discovery) down. The scanner and discover both run checks through it.
func RunCheck(c *Check, r *Result, now time.Time, report func(Finding)) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("check panicked: %v\n%s", v, debug.Stack())
		}
	}()
	return c.Run(NewPass(c, r, now, report))
}
