// Package httpprobe is the HTTP side of an API host: an HTTPS request to
// the TLS port (status, headers, HSTS), a plain-HTTP request and the
// redirects that stay on the target (is there a cleartext fallback?), and
// a plaintext request to a TLS port that answered in plaintext. It speaks
// HTTP/1.1 itself over connections from a netx.Dialer, guards the
// target's configured headers (secrets.go) and classifies what it saw.
package httpprobe

import (
	"cmp"
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/hsts"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// Observation is what the HTTP probes saw of a target: the HTTP side
// of an API host. Which parts exist depends on the shared handshake:
// when it succeeded, HTTPS and Plain; when it found plain HTTP on the TLS
// port (error kind not-tls), TLSPortPlaintext; otherwise the probes do not
// run and the target's scan error says why.
type Observation struct {
	// HTTPS is one request to the TLS port over TLS, for its headers.
	HTTPS *HTTPSProbe
	// Plain is the request to http://host:HTTPPort/path and the
	// redirects followed from it; nil when no selected check needs it.
	Plain *PlainProbe
	// TLSPortPlaintext is a plaintext HTTP request to the TLS port.
	TLSPortPlaintext *Exchange
	// HeaderNames names the target's extra request headers (never their
	// values, which may be secrets).
	HeaderNames []string
}

// HTTPSProbe is the request to the TLS port over TLS.
type HTTPSProbe struct {
	*Exchange
	// CertVerified says whether the certificate the probe saw verifies
	// for the target (roots, name, dates); CertError says why not.
	// Browsers ignore HSTS sent with a certificate error.
	CertVerified bool
	CertError    string
	// HSTS is the first Strict-Transport-Security field of the response,
	// parsed, or nil when there was none; browsers process only the first
	// (RFC 6797 §8.1). HSTSFields counts the fields.
	HSTS       *hsts.Policy
	HSTSFields int
	// ProtocolSeen is the protocol of a server that spoke first after
	// the handshake (smtp, imap, pop3, ftp, ...), so was sent no HTTP
	// request; Greeting is an escaped excerpt of what it said.
	ProtocolSeen, Greeting string
}

// PlainProbe is the plain-HTTP request and the redirects followed from it.
type PlainProbe struct {
	// Hops are the requests made, in order. Redirects are followed only
	// to the target itself (its host name, and its HTTP or TLS port), at
	// most MaxRedirects times.
	Hops []*Exchange
	// Loop is true when a redirect led back to a URL already requested.
	Loop bool
	// Stopped says why a redirect was not followed, when one was not.
	Stopped string
	// Verdict and Detail are what the hops add up to.
	Verdict PlainVerdict
	Detail  string
}

// DefaultMaxRedirects is how many redirects the plain-HTTP probe follows
// unless Config.MaxRedirects says otherwise.
const DefaultMaxRedirects = 5

// Config is one target as the HTTP probes see it, every field resolved.
type Config struct {
	// TLS is how the shared handshake reached the TLS port.
	TLS handshake.Config
	// Host is the host name requests name (URL and Host header); Port the
	// TLS port, PlainPort the plain-HTTP port.
	Host            string
	Port, PlainPort int
	// Path is the request target (path and query); Method GET or HEAD.
	Path, Method string
	// Headers are the target's extra request headers (see judgePeer and
	// redactor for how they are guarded).
	Headers map[string]string
	// ServerName, Roots and Pins are what a client of the target verifies
	// the certificate against (Roots nil: the system roots).
	ServerName string
	Roots      *x509.CertPool
	Pins       []string
	// UserAgent identifies the tool; MaxRedirects bounds the redirects
	// followed (0: DefaultMaxRedirects); Now is the scan clock.
	UserAgent    string
	MaxRedirects int
	Now          func() time.Time
	// GreetWait, when set, is how long the HTTPS request waits after the
	// handshake for a server that speaks first (a mail or FTP server on a
	// port whose protocol the target did not declare) before it sends the
	// request; one that does gets no request (HTTPSProbe.ProtocolSeen).
	GreetWait time.Duration
}

// A Prober makes one target's HTTP requests. Every request goes to the
// address the shared handshake used (never a fresh DNS lookup, never
// another host), and a request already made is answered from memory.
// Requests to the TLS port go through tlsPort, those to the plain-HTTP
// port through plain.
type Prober struct{ p *prober }

type prober struct {
	ctx            context.Context
	tlsPort, plain netx.Dialer
	cfg            *Config
	ip             string
	legacy         bool
	// kept is the shared handshake's connection, for the first HTTPS
	// request to the TLS port (Reuse); nil once taken.
	kept     net.Conn
	keptPeer *handshake.Peer
	done     map[string]*Exchange
	// secrets are the configured headers sent over HTTPS connections that
	// judgePeer accepts; redact scrubs them from every answer.
	secrets map[string]string
	redact  *redactor
}

// New returns the prober of the target at ip. legacy says only the legacy
// client completed the shared handshake, so HTTPS requests use it too.
func New(ctx context.Context, tlsPort, plain netx.Dialer, cfg Config, ip string, legacy bool) *Prober {
	return &Prober{&prober{ctx: ctx, tlsPort: tlsPort, plain: plain, cfg: &cfg, ip: ip, legacy: legacy,
		done: map[string]*Exchange{}, secrets: secretHeaders(cfg.Headers), redact: newRedactor(cfg.Headers)}}
}

// HTTPS requests the target's path over TLS and reads its HSTS policy.
func (pr *Prober) HTTPS() *HTTPSProbe { return pr.p.https() }

// Reuse hands the prober the shared handshake's connection to the TLS
// port, still open, and what was learned of the server on it
// (handshake.Handshake.TakeConn): the first HTTPS request to the TLS port
// goes over it instead of a new connection and handshake. The prober
// closes it.
func (pr *Prober) Reuse(conn net.Conn, peer *handshake.Peer) {
	if pr.p.kept != nil {
		pr.p.kept.Close()
	}
	pr.p.kept, pr.p.keptPeer = conn, peer
}

// Plain requests the target's path over plain HTTP and follows redirects
// that stay on the target. httpsStatus is the HTTPS probe's status for the
// same request (0 if none).
func (pr *Prober) Plain(httpsStatus int) *PlainProbe { return pr.p.plainHTTP(httpsStatus) }

// PlaintextOnTLSPort sends a plaintext HTTP request to the TLS port, for
// a target whose TLS port answered in plaintext.
func (pr *Prober) PlaintextOnTLSPort() *Exchange {
	ex, _ := pr.p.fetch(pr.p.url("http", pr.p.cfg.Port))
	return ex
}

// url is scheme://host:port/path for the target, with the port left out
// when it is the scheme's default (as clients write the Host header).
func (p *prober) url(scheme string, port int) *url.URL {
	u, err := url.Parse(p.cfg.Path)
	if err != nil || u.IsAbs() || u.Host != "" {
		u = &url.URL{Path: "/"} // the targets loader validates paths; stay safe on hand-built targets
	}
	u.Scheme = scheme
	u.Host = hostPort(p.cfg.Host, port, scheme)
	u.Fragment = ""
	return u
}

func hostPort(host string, port int, scheme string) string {
	if port == defaultPort(scheme) {
		if strings.Contains(host, ":") {
			return "[" + host + "]"
		}
		return host
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

func defaultPort(scheme string) int {
	if scheme == "https" {
		return 443
	}
	return 80
}

// portOf is u's port, or its scheme's default.
func portOf(u *url.URL) int {
	if n, err := strconv.Atoi(u.Port()); err == nil {
		return n
	}
	return defaultPort(u.Scheme)
}

// https requests the target's path over TLS and reads its HSTS policy.
func (p *prober) https() *HTTPSProbe {
	hp := &HTTPSProbe{}
	ex, verdict := p.fetchGreeted(p.url("https", p.cfg.Port), hp)
	hp.Exchange = ex
	if !ex.Answered() {
		return hp
	}
	if verdict.certErr != nil {
		hp.CertError = verdict.certErr.Error()
	} else {
		hp.CertVerified = true
	}
	fields := ex.Header.Values("Strict-Transport-Security")
	hp.HSTSFields = len(fields)
	if len(fields) > 0 {
		pol := hsts.Parse(fields[0])
		hp.HSTS = &pol
	}
	return hp
}

// plainHTTP requests the target's path over plain HTTP and follows
// redirects that stay on the target, then classifies what it saw.
func (p *prober) plainHTTP(httpsStatus int) *PlainProbe {
	pp := &PlainProbe{}
	u := p.url("http", p.cfg.PlainPort)
	seen := map[string]bool{}
	limit := cmp.Or(p.cfg.MaxRedirects, DefaultMaxRedirects)
	for {
		seen[u.String()] = true
		ex, _ := p.fetch(u)
		pp.Hops = append(pp.Hops, ex)
		if !ex.IsRedirect() {
			break
		}
		next, _ := url.Parse(ex.Redirect)
		if seen[next.String()] {
			pp.Loop = true
			break
		}
		if why := p.offTarget(next); why != "" {
			pp.Stopped = why
			break
		}
		if len(pp.Hops) > limit {
			pp.Stopped = "more than " + strconv.Itoa(limit) + " " + words.Plural(limit, "redirect", "redirects")
			break
		}
		u = next
	}
	pp.Verdict, pp.Detail = classifyPlain(pp, httpsStatus, p.cfg.Host)
	return pp
}

// offTarget says why u is not followed, or "" when it is the target: the
// same host name and its plain-HTTP or TLS port. Following anything else
// would dial a host the user did not ask to scan.
func (p *prober) offTarget(u *url.URL) string {
	switch {
	case !strings.EqualFold(u.Hostname(), p.cfg.Host):
		return fmt.Sprintf("redirect to another host (%q) not followed", u.Host)
	case u.Scheme == "http" && portOf(u) != p.cfg.PlainPort,
		u.Scheme == "https" && portOf(u) != p.cfg.Port:
		return fmt.Sprintf("redirect to another port (%q) not followed", u.Host)
	}
	return ""
}

// fetch makes one request to u at the target's address, or returns the
// answer to the same request made earlier (marked Reused). verdict judges
// a new TLS connection (zero for plain HTTP and reused answers).
//
// The target's configured headers go only over TLS, and only over a
// connection judgePeer accepts; otherwise the request goes without them
// and ex.HeadersWithheld says why. A plain-HTTP request never carries
// them, whatever redirect led to it. Every answer is scrubbed of them
// here, before any check or report sees it.
func (p *prober) fetch(u *url.URL) (ex *Exchange, verdict peerVerdict) {
	return p.fetchGreeted(u, nil)
}

// fetchGreeted is fetch; with greeted set and GreetWait configured, a
// server that speaks first is recorded in greeted and sent nothing.
func (p *prober) fetchGreeted(u *url.URL, greeted *HTTPSProbe) (ex *Exchange, verdict peerVerdict) {
	key := p.cfg.Method + " " + u.String()
	if prev, ok := p.done[key]; ok {
		again := *prev
		again.Reused = true
		return &again, peerVerdict{}
	}
	ex = &Exchange{URL: u.String(), Method: p.cfg.Method}
	p.done[key] = ex
	start := time.Now()
	defer func() { ex.Duration = time.Since(start) }()
	addr := net.JoinHostPort(p.ip, strconv.Itoa(portOf(u)))
	conn, peer, se := p.open(addr, u.Scheme)
	if se != nil {
		ex.fail(se.Kind, se.Err)
		p.redact.exchange(ex)
		return ex, peerVerdict{}
	}
	defer conn.Close()
	if greeted != nil && p.cfg.GreetWait > 0 {
		if proto, text := awaitGreeting(p.ctx, conn, p.cfg.GreetWait, p.cfg.TLS.Timeout); proto != "" {
			greeted.ProtocolSeen, greeted.Greeting = proto, text
			ex.fail(netx.KindOther, fmt.Errorf("the server spoke first (%s), so it was sent no HTTP request: %s", proto, text))
			return ex, peerVerdict{}
		}
	}
	var headers map[string]string
	if peer != nil {
		verdict = judgePeer(peer, p.cfg, p.cfg.Now())
		if len(p.secrets) > 0 {
			if verdict.withhold != "" {
				ex.HeadersWithheld = verdict.withhold
			} else {
				headers = p.secrets
			}
		}
	}
	exchange(p.ctx, conn, newRequest(ex.Method, u, p.cfg.UserAgent, headers), ex)
	p.redact.exchange(ex)
	if ex.Answered() && ex.StatusCode >= 300 && ex.StatusCode < 400 {
		ex.Redirect = resolveRedirect(u, ex.Header.Get("Location"))
	}
	return ex, verdict
}

// resolveRedirect resolves a Location against the URL requested; "" when
// it is missing, does not parse, or leaves HTTP.
func resolveRedirect(base *url.URL, location string) string {
	if location == "" {
		return ""
	}
	next, err := base.Parse(location)
	if err != nil || (next.Scheme != "http" && next.Scheme != "https") || next.Host == "" {
		return ""
	}
	// Normalised as the probe writes URLs, so that a loop is seen as one.
	next.Fragment = ""
	next.Host = strings.ToLower(next.Host)
	if next.Path == "" && next.Opaque == "" {
		next.Path = "/"
	}
	return next.String()
}
