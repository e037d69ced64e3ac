// Package vuln probes a server for known TLS implementation bugs and
// protocol-hygiene gaps (Heartbleed, CCS injection, ROBOT, SSLv2,
// compression, secure renegotiation, extended master secret, fallback
// protection). Each probe runs only where its precondition holds, which the
// enumeration already established, and records one Outcome: vulnerable,
// not vulnerable, not tested (the precondition is absent) or undecided.
// The probes hand-build their messages with enum's hello builder and
// answer parser; none completes a handshake, and none sends a payload a
// correct server does not reject by RFC.
package vuln

import (
	"context"
	"slices"
	"sync/atomic"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// Status is a probe's verdict.
type Status string

const (
	Vulnerable    Status = "vulnerable"
	NotVulnerable Status = "not-vulnerable"
	// NotTested: the precondition is absent (no heartbeat extension, no
	// RSA key exchange, a single protocol version...), so nothing was sent.
	NotTested Status = "not-tested"
	// Undecided: the probe ran but the answer proves neither way (timeout,
	// inconsistent answers, a refused probe hello).
	Undecided Status = "undecided"
)

// An Outcome is one probe's verdict and why.
type Outcome struct {
	Status Status
	// Detail says in one line what the server did (or why the probe did not
	// run); it may quote nothing from the server but numbers.
	Detail string
	// Evidence holds the facts a finding shows (counts, versions, names).
	// Never server memory: heartbleed records how many bytes leaked only.
	Evidence map[string]string
}

func outcome(s Status, detail string, kv ...string) Outcome {
	o := Outcome{Status: s, Detail: detail}
	if len(kv) > 0 {
		o.Evidence = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			o.Evidence[kv[i]] = kv[i+1]
		}
	}
	return o
}

// Observation is every probe's outcome for one server.
type Observation struct {
	RenegotiationInsecure Outcome
	ExtendedMasterSecret  Outcome // Vulnerable = EMS missing in TLS 1.2
	Compression           Outcome
	Heartbleed            Outcome
	CCSInjection          Outcome
	FallbackSCSV          Outcome // Vulnerable = the SCSV is ignored
	SSL2                  Outcome
	ROBOT                 Outcome
	// ClientRenegotiation: Vulnerable = the server accepts a renegotiation
	// the client starts.
	ClientRenegotiation Outcome
	// EarlyData: Vulnerable = a TLS 1.3 session ticket allows 0-RTT data.
	EarlyData Outcome
	// SSL2KeySHA256 is the SHA-256 of the SubjectPublicKeyInfo of the
	// certificate an SSLv2 SERVER-HELLO carried, for the shared-key check.
	SSL2KeySHA256 string
	// Connections is how many connections the probes opened.
	Connections int
	Duration    time.Duration
}

// Config is how to reach the server.
type Config struct {
	// ServerName is sent as SNI; empty sends none.
	ServerName string
	// Timeout bounds each probe connection's connect plus answer.
	Timeout time.Duration
	// ALPN is offered in every probe hello built on enum.Hello when set.
	ALPN []string
}

// Input is what the enumeration learned that decides which probes apply.
type Input struct {
	// Versions maps each accepted protocol version to its accepted suites.
	Versions map[uint16][]uint16
}

// InputFrom builds the probes' input from an enumeration.
func InputFrom(e *enum.Enumeration) Input {
	in := Input{Versions: map[uint16][]uint16{}}
	for _, p := range e.Versions {
		if !p.Accepted {
			continue
		}
		ids := make([]uint16, 0, len(p.Suites))
		for _, s := range p.Suites {
			ids = append(ids, s.ID)
		}
		in.Versions[p.Version] = ids
	}
	return in
}

// accepted lists the accepted versions, newest first.
func (in Input) accepted() []uint16 {
	var vs []uint16
	for v := range in.Versions {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	slices.Reverse(vs)
	return vs
}

// legacyVersion is the newest accepted version below TLS 1.3 that has
// extensions (TLS 1.0-1.2), or 0.
func (in Input) legacyVersion() uint16 {
	for _, v := range in.accepted() {
		if v >= tlsinfo.VersionTLS10 && v <= tlsinfo.VersionTLS12 && len(in.Versions[v]) > 0 {
			return v
		}
	}
	return 0
}

// prober is one server's probe run: where, how, and the connection count.
type prober struct {
	d     netx.Dialer
	cfg   Config
	addr  string
	conns atomic.Int64
}

// Run probes the server at addr. Probes run one after another: they are
// few, and a vulnerable server is often an old and fragile one.
func Run(ctx context.Context, d netx.Dialer, cfg Config, addr string, in Input) *Observation {
	start := time.Now()
	p := &prober{d: d, cfg: cfg, addr: addr}
	o := &Observation{}
	heartbeat := p.helloFacts(ctx, in, o)
	o.Heartbleed = p.heartbleed(ctx, in, heartbeat)
	o.CCSInjection = p.ccsInjection(ctx, in)
	o.FallbackSCSV = p.fallbackSCSV(ctx, in)
	o.SSL2, o.SSL2KeySHA256 = p.ssl2(ctx)
	o.ROBOT = p.robot(ctx, in)
	o.ClientRenegotiation = p.clientRenegotiation(ctx, in)
	o.EarlyData = p.earlyData(ctx, in)
	o.Connections = int(p.conns.Load())
	o.Duration = time.Since(start)
	return o
}
