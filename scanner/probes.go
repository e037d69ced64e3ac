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

// tlsPort is the Dialer of every connection to t's TLS port: the scan's
// sockets, wrapped by t's protocol when it must be upgraded to TLS.
func (s *Scanner) tlsPort(t *Target) netx.Dialer {
	return protocolOf(t.Protocol()).dialer(s.sockets)
}

func handshakeConfig(t *Target) handshake.Config {
	return handshake.Config{ServerName: t.SNI(), ClientCert: t.ClientCert, Timeout: t.connectTimeout()}
}

// enumerate is the scanner's enumeration probe. A target whose shared
// handshake failed is still enumerated (a NULL- or anonymous-only server
// completes no handshake any client library will make, yet its suites are
// exactly what must be reported); when that finds nothing either, the
// scan error already says why and enumeration adds nothing.
func enumerate(ctx context.Context, tlsPort netx.Dialer, r *Result) (*enum.Enumeration, error) {
	cfg := enum.Config{ServerName: r.Target.SNI(), Timeout: r.Target.connectTimeout()}
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
	cfg := vuln.Config{ServerName: r.Target.SNI(), Timeout: r.Target.connectTimeout()}
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

// probeHTTP runs the HTTP probes of r's target (the plain-HTTP one only
// when needs, what the selected checks read, has NeedPlainHTTP). It returns
// nil when they do not apply: a target whose protocol carries no HTTP, or
// one whose TLS port could not be reached. Failures of single requests are
// recorded in the observation, where the check that needed the request
// turns them into "could not decide".
func (s *Scanner) probeHTTP(ctx context.Context, tlsPort netx.Dialer, r *Result, needs Needs) *httpprobe.Observation {
	t := r.Target
	if !t.SpeaksHTTP() {
		return nil
	}
	ip, _, err := net.SplitHostPort(r.Addr)
	if err != nil {
		return nil
	}
	legacy := r.Handshake != nil && r.Handshake.LegacyOnly
	p := httpprobe.New(ctx, tlsPort, s.sockets, s.httpConfig(t), ip, legacy)
	obs := &httpprobe.Observation{HeaderNames: t.HeaderNames()}
	switch {
	case r.Handshake != nil:
		obs.HTTPS = p.HTTPS()
		if needs&NeedPlainHTTP != 0 {
			obs.Plain = p.Plain(obs.HTTPS.StatusCode)
		}
	case r.Err != nil && r.Err.Kind == netx.KindNotTLS:
		obs.TLSPortPlaintext = p.PlaintextOnTLSPort()
	default:
		return nil
	}
	return obs
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
	}
}
