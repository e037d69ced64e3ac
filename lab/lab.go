// Package lab runs local TLS endpoints, good and deliberately broken, on
// loopback: the fixtures of tlsaudit's tests and the targets of `tlsaudit
// demo` and `tlsaudit lab`. Each endpoint declares the checks it must
// trigger (or the error it must produce), so one table test proves every
// check fires where it should and stays silent everywhere else.
package lab

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
	"github.com/tlsaudit/tlsaudit/targets"
)

// Domain is the DNS suffix of lab server names. .test is reserved for
// testing (RFC 6761), so no lab name can reach a real host.
const Domain = "tlsaudit.test"

// An Endpoint is one lab server and what scanning it must show.
type Endpoint struct {
	// Name is unique; the endpoint's server name is Name + "." + Domain.
	Name string
	// Doc says in one line what is wrong with it (or that nothing is).
	Doc string
	// Want lists the check IDs that must fire, and no others.
	Want []string
	// WantError is the error kind the scan must end with, for endpoints
	// that cannot be scanned.
	WantError netx.ErrorKind
	// WantUndecided lists the checks that must end undecided (a check
	// error), for endpoints whose answers no check can judge.
	WantUndecided []string
	// Listen, if set, makes the endpoint's listener (for listeners that
	// misbehave at the socket level); otherwise a TCP listener on the
	// lab host.
	Listen func(env *Env, addr string) (net.Listener, error)
	// Start starts serving on ln and returns; goroutines it starts must
	// end when ln is closed or use env.Go / env.OnClose.
	Start func(env *Env, ln net.Listener) error
	// Target, if set, adjusts the target that scans this endpoint.
	Target func(env *Env, t *scanner.Target)
	// CrossTarget marks an endpoint whose Want depends on other endpoints
	// scanned by the same scan before it (drown-shared-key): scanned alone
	// or ahead of them it gives a different result.
	CrossTarget bool
}

// Endpoints returns every lab endpoint, good first, except those this
// build cannot serve or scan (see buildLacks).
func Endpoints() []*Endpoint {
	all := slices.Concat(certEndpoints(), chainEndpoints(), hostileEndpoints(), protocolEndpoints(), vulnEndpoints(), drownEndpoints(), earlyDataEndpoints(), transparencyEndpoints(), starttlsEndpoints(), []*Endpoint{postgresDirectEndpoint()}, httpEndpoints(), codeEndpoints(), clientEndpoints())
	return slices.DeleteFunc(all, buildLacks)
}

// Env is what endpoints share: the PKI, the clock, and the lab's lifetime.
type Env struct {
	PKI  *PKI
	Host string

	mu      sync.Mutex
	names   map[string][]netip.Addr
	closers []func()
	conns   map[net.Conn]struct{}
	wg      sync.WaitGroup
	done    chan struct{}
	// resourceErr is the first accept that failed for want of file
	// descriptors (resources.go).
	resourceErr error

	ports ports
}

// ServerName is the name an endpoint's certificate is made for.
func (e *Env) ServerName(endpoint string) string { return endpoint + "." + Domain }

// AddName makes the lab's DNS answer name with addrs (in addition to any
// it already has).
func (e *Env) AddName(name string, addrs ...netip.Addr) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.names[name] = append(e.names[name], addrs...)
}

func (e *Env) lookup(name string) []netip.Addr {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.names[name]
}

// Done is closed when the lab shuts down.
func (e *Env) Done() <-chan struct{} { return e.done }

// OnClose registers f to run when the lab shuts down.
func (e *Env) OnClose(f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closers = append(e.closers, f)
}

// Go runs f in a goroutine the lab waits for on Close.
func (e *Env) Go(f func()) {
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		f()
	}()
}

// Accept runs handle for each connection on ln until the lab closes.
// Connections still open at Close are closed, so a handler blocked in a
// read (a tarpit) ends too.
func (e *Env) Accept(ln net.Listener, handle func(net.Conn)) {
	e.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				if e.acceptFailed(ln, err) {
					continue
				}
				return
			}
			e.mu.Lock()
			select {
			case <-e.done:
				// Close has already closed the connections it knew of;
				// one accepted since would never be closed, and its
				// handler (a tarpit) would keep Close waiting forever.
				e.mu.Unlock()
				c.Close()
				return
			default:
			}
			if e.conns == nil {
				e.conns = map[net.Conn]struct{}{}
			}
			e.conns[c] = struct{}{}
			e.mu.Unlock()
			e.Go(func() {
				defer func() {
					c.Close()
					e.mu.Lock()
					delete(e.conns, c)
					e.mu.Unlock()
				}()
				handle(c)
			})
		}
	})
}

// ServeHTTPS serves h over TLS with cfg on ln. Handshake errors are
// expected (scanners probe with odd hellos) and are not logged.
func (e *Env) ServeHTTPS(ln net.Listener, cfg *tls.Config, h http.Handler) {
	e.serveHTTP(tls.NewListener(ln, cfg), h)
}

// ServePlainHTTP serves h without TLS on ln.
func (e *Env) ServePlainHTTP(ln net.Listener, h http.Handler) { e.serveHTTP(ln, h) }

func (e *Env) serveHTTP(ln net.Listener, h http.Handler) {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	e.OnClose(func() { srv.Close() })
	e.Go(func() { _ = srv.Serve(noteListener{ln, e}) })
}

// Hello is the lab's HTTP handler: a small page that sends HSTS, as a
// well-configured HTTPS API would.
func Hello(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "tlsaudit lab endpoint %s\n", name)
	})
}

// Options configure a lab.
type Options struct {
	// Host is the address endpoints listen on; default 127.0.0.1.
	Host string
	// BasePort, if non-zero, gives endpoint i the port BasePort+i, so a
	// targets file for the lab stays valid across restarts. Zero picks
	// free ports.
	BasePort int
	// Only, if non-empty, starts just the endpoints with these names.
	Only []string
	// Now is the lab clock certificates are made relative to; zero means
	// time.Now().
	Now time.Time
	// Endpoints replaces the built-in list (for tests of the lab itself).
	Endpoints []*Endpoint
}

// A Lab is a set of running endpoints.
type Lab struct {
	Env       *Env
	Now       time.Time
	Endpoints []*Running
	dns       *dnsServer
}

// Running is a started endpoint.
type Running struct {
	*Endpoint
	Addr netip.AddrPort
	env  *Env
}

// Target returns the target that scans this endpoint: its address, its
// server name, and the lab root as the trusted CA.
func (r *Running) Target() *scanner.Target {
	t := &scanner.Target{
		Name:           r.Name,
		Host:           r.Addr.Addr().String(),
		Port:           int(r.Addr.Port()),
		ServerName:     r.env.ServerName(r.Name),
		Roots:          r.env.PKI.RootPool(),
		RootsName:      "lab root CA",
		ExpiryWarnDays: targets.DefaultExpiryWarnDays,
		ConnectTimeout: scanner.DefaultConnectTimeout,
		Deadline:       scanner.DefaultDeadline,
		// Declared https: lab servers never greet first, so the HTTP
		// probe need not wait for a greeting.
		HTTP: scanner.HTTPSettings{Port: r.env.ClosedPort(), Protocol: scanner.ProtocolHTTPS},
	}
	if r.Endpoint.Target != nil {
		r.Endpoint.Target(r.env, t)
	}
	return t
}

// Start starts the lab's endpoints. Close stops them.
func Start(opts Options) (*Lab, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	host := opts.Host
	if host == "" {
		host = "127.0.0.1"
	}
	eps := opts.Endpoints
	if eps == nil {
		eps = Endpoints()
	}
	// Before anything starts, so that a bad name leaves nothing running.
	eps, err := selectFrom(eps, opts.Only)
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	pki, err := NewPKI(now)
	if err != nil {
		return nil, err
	}
	env := &Env{PKI: pki, Host: host, done: make(chan struct{}), names: map[string][]netip.Addr{}}
	l := &Lab{Env: env, Now: now}
	if l.dns, err = startDNS(env); err != nil {
		l.Close()
		return nil, err
	}
	if err := env.startPorts(opts.BasePort, len(eps)); err != nil {
		l.Close()
		return nil, fmt.Errorf("lab: %w", err)
	}
	for i, ep := range eps {
		addr := net.JoinHostPort(host, "0")
		if opts.BasePort != 0 {
			addr = net.JoinHostPort(host, strconv.Itoa(opts.BasePort+i))
		}
		listen := ep.Listen
		if listen == nil {
			listen = func(_ *Env, addr string) (net.Listener, error) { return net.Listen("tcp", addr) }
		}
		ln, err := listen(env, addr)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("lab endpoint %s: %w", ep.Name, err)
		}
		ap, err := netip.ParseAddrPort(ln.Addr().String())
		if err != nil {
			ln.Close()
			l.Close()
			return nil, err
		}
		env.OnClose(func() { ln.Close() })
		if err := ep.Start(env, ln); err != nil {
			l.Close()
			return nil, fmt.Errorf("lab endpoint %s: %w", ep.Name, err)
		}
		env.AddName(env.ServerName(ep.Name), ap.Addr())
		l.Endpoints = append(l.Endpoints, &Running{Endpoint: ep, Addr: ap, env: env})
	}
	return l, nil
}

// Endpoint returns the running endpoint with this name, or nil.
func (l *Lab) Endpoint(name string) *Running {
	for _, r := range l.Endpoints {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// Targets returns one target per endpoint, in lab order.
func (l *Lab) Targets() []*scanner.Target {
	ts := make([]*scanner.Target, len(l.Endpoints))
	for i, r := range l.Endpoints {
		ts[i] = r.Target()
		ts[i].Index = i
	}
	return ts
}

// Close stops every endpoint and waits for their goroutines.
func (l *Lab) Close() error {
	e := l.Env
	e.mu.Lock()
	select {
	case <-e.done:
		e.mu.Unlock()
		return nil
	default:
		close(e.done)
	}
	closers := e.closers
	e.closers = nil
	for c := range e.conns {
		c.Close()
	}
	e.mu.Unlock()
	for _, f := range slices.Backward(closers) {
		f()
	}
	e.wg.Wait()
	return nil
}

// Resolver returns a resolver that answers from the lab's own DNS server
// on loopback (see dns.go), so tests of DNS behaviour never query a real
// nameserver.
func (l *Lab) Resolver() *net.Resolver {
	addr := l.dns.addr
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", addr)
		},
	}
}
