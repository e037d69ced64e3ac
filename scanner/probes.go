package scanner

import (
	"cmp"
	"context"
	"errors"
	"net"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner/enum"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
	"github.com/tlsaudit/tlsaudit/scanner/httpprobe"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// The probes take small configs, never a Target, so they stay below the
// engine; this file is where a target becomes each probe's config, and
// where the per-target flow decides what each probe's result means.

// DefaultConnectTimeout bounds one connection's connect plus handshake
// when the target does not set ConnectTimeout.
const DefaultConnectTimeout = 10 * time.Second

// connectTimeout is t's ConnectTimeout, or the default when unset: a zero
// timeout would otherwise make every connection time out at once.
func (t *Target) connectTimeout() time.Duration {
	return cmp.Or(t.ConnectTimeout, DefaultConnectTimeout)
}

func handshakeConfig(t *Target) handshake.Config {
	return handshake.Config{ServerName: t.SNI(), ClientCert: t.ClientCert, Timeout: t.connectTimeout(), ALPN: protocolALPN(t.Protocol())}
}

// enumerate is the scanner's enumeration probe. A target whose shared
// handshake failed is still enumerated (a NULL- or anonymous-only server
// completes no handshake any client library will make, yet its suites are
// exactly what must be reported); when that finds nothing either, the
// scan error already says why and enumeration adds nothing.
func enumerate(ctx context.Context, tlsPort netx.Dialer, r *Result) (*enum.Enumeration, error) {
	cfg := enum.Config{ServerName: r.Target.SNI(), Timeout: r.Target.connectTimeout(), ALPN: protocolALPN(r.Target.Protocol())}
	e, err := enum.Run(ctx, tlsPort, cfg, r.Addr)
	if r.Handshake == nil && (err != nil || len(e.AcceptedVersions()) == 0) {
		return nil, nil
	}
	if err == nil && len(e.AcceptedVersions()) == 0 && e.Incomplete() == nil {
		err = errors.New("the server completed a handshake but refused every probe hello")
	}
	return e, err
}

// probeVulnerabilities runs the known-vulnerability probes, gated by what
// the enumeration found accepted.
func probeVulnerabilities(ctx context.Context, tlsPort netx.Dialer, r *Result) *vuln.Observation {
	cfg := vuln.Config{ServerName: r.Target.SNI(), Timeout: r.Target.connectTimeout(), ALPN: protocolALPN(r.Target.Protocol())}
	return vuln.Run(ctx, tlsPort, cfg, r.Addr, vuln.InputFrom(r.Enum))
}

// enumerable reports whether enumeration can tell anything about a target
// whose shared handshake ended with err: yes when a TCP connection was made
// and the failure was at the TLS level (an alert, or a hang-up, which is
// how some servers refuse a hello they have no suite for).
func enumerable(r *Result) bool {
	if r.Err == nil {
		return true
	}
	switch r.Err.Kind {
	case netx.KindHandshake, netx.KindClosed, netx.KindReset:
		return true
	}
	return false
}

// httpProbes are r's target's HTTP probes under way: startHTTP makes the
// HTTPS request (over the shared handshake's connection when it was kept
// open), finish the plain-HTTP ones (only when needs, what the selected
// checks read, has NeedPlainHTTP). startHTTP returns nil when they do not
// apply: a target whose protocol carries no HTTP, or one whose TLS port
// could not be reached. Failures of single requests are recorded in the
// observation, where the check that needed the request turns them into
// "could not decide".
type httpProbes struct {
	p   *httpprobe.Prober
	obs *httpprobe.Observation
}

func (s *Scanner) startHTTP(ctx context.Context, tlsPort netx.Dialer, r *Result) *httpProbes {
	t := r.Target
	conn, peer := r.Handshake.TakeConn()
	if !t.SpeaksHTTP() {
		if conn != nil {
			conn.Close()
		}
		return nil
	}
	ip, _, err := net.SplitHostPort(r.Addr)
	if err != nil {
		if conn != nil {
			conn.Close()
		}
		return nil
	}
	legacy := r.Handshake != nil && r.Handshake.LegacyOnly
	p := httpprobe.New(ctx, tlsPort, s.sockets, s.httpConfig(t), ip, legacy)
	obs := &httpprobe.Observation{HeaderNames: t.HeaderNames()}
	switch {
	case r.Handshake != nil:
		if conn != nil {
			p.Reuse(conn, peer)
		}
		obs.HTTPS = p.HTTPS()
		if obs.HTTPS.ProtocolSeen != "" {
			// Not an HTTP server: no HTTP check applies.
			r.ProtocolSeen, r.Greeting = obs.HTTPS.ProtocolSeen, obs.HTTPS.Greeting
			return nil
		}
	case r.Err != nil && r.Err.Kind == netx.KindNotTLS:
	default:
		return nil
	}
	return &httpProbes{p, obs}
}

func (h *httpProbes) finish(r *Result, needs Needs) *httpprobe.Observation {
	switch {
	case h.obs.HTTPS != nil:
		if needs&NeedPlainHTTP != 0 {
			h.obs.Plain = h.p.Plain(h.obs.HTTPS.StatusCode)
		}
	default:
		h.obs.TLSPortPlaintext = h.p.PlaintextOnTLSPort()
	}
	return h.obs
}

func (s *Scanner) httpConfig(t *Target) httpprobe.Config {
	return httpprobe.Config{
		TLS:          handshakeConfig(t),
		Host:         t.HTTPHost(),
		Port:         t.Port,
		PlainPort:    t.HTTPPort(),
		Path:         t.HTTPPath(),
		Method:       t.HTTPMethod(),
		Headers:      t.HTTP.Headers,
		ServerName:   t.ServerName,
		Roots:        t.Roots,
		Pins:         t.Pins,
		UserAgent:    s.userAgent,
		MaxRedirects: s.maxRedirects,
		Now:          s.now,
		GreetWait:    greetWait(t),
	}
}

// GreetWait is how long the HTTPS request waits for a server that speaks
// first, on a target whose protocol is https only because nothing said
// otherwise (no protocol, no scheme, a port that names none). 443 and
// 8443 are HTTPS by convention and do not wait; a target that declares
// https does not either.
const GreetWait = time.Second

func greetWait(t *Target) time.Duration {
	if t.HTTP.Protocol != "" || t.Port == 443 || t.Port == 8443 {
		return 0
	}
	return min(GreetWait, t.connectTimeout())
}
