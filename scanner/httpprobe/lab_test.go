package httpprobe_test

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/httpprobe"
)

// These tests run the HTTP probes against lab servers built for them, to
// check what goes over the wire: which requests, with which headers, how
// many connections.

func startHTTPLab(t *testing.T, opts lab.Options) *lab.Lab {
	t.Helper()
	l, err := lab.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func scanHTTP(t *testing.T, l *lab.Lab, opts scanner.Options, target *scanner.Target) *scanner.Result {
	t.Helper()
	if opts.Checks == nil {
		opts.Checks = checks.All()
	}
	opts.Resolver = l.Resolver()
	var got *scanner.Result
	scanner.New(opts).ScanTarget(context.Background(), target, func(r *scanner.Result) { got = r })
	return got
}

// labCert is a valid lab certificate for name.
func labCert(env *lab.Env, name string) (*tls.Config, error) {
	c, err := env.PKI.Issue(lab.CertSpec{CN: name, Names: []string{name}, Issuer: env.PKI.Inter})
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{c.Chain(env.PKI.Inter)}}, nil
}

// recorded is a request a lab server saw.
type recorded struct {
	tls            bool
	method, uri    string
	host, ua, key  string
	secretInHeader bool
}

// recordingEndpoint serves HTTPS (HSTS, 200) and plain HTTP (redirect to
// HTTPS) and records every request.
func recordingEndpoint(name string, mu *sync.Mutex, log *[]recorded) *lab.Endpoint {
	var plainPort int
	record := func(r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		*log = append(*log, recorded{tls: r.TLS != nil, method: r.Method, uri: r.RequestURI, host: r.Host,
			ua: r.UserAgent(), key: r.Header.Get("X-Api-Key")})
	}
	return &lab.Endpoint{
		Name: name,
		Start: func(env *lab.Env, ln net.Listener) error {
			cfg, err := labCert(env, env.ServerName(name))
			if err != nil {
				return err
			}
			pln, port, err := env.ListenCompanion()
			if err != nil {
				return err
			}
			plainPort = port
			tlsPort := ln.Addr().(*net.TCPAddr).Port
			env.ServeHTTPS(ln, cfg, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				record(r)
				w.Header().Set("Strict-Transport-Security", "max-age=31536000")
			}))
			env.ServePlainHTTP(pln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				record(r)
				host, _, _ := net.SplitHostPort(r.Host)
				http.Redirect(w, r, "https://"+net.JoinHostPort(host, itoa(tlsPort))+r.URL.RequestURI(), http.StatusMovedPermanently)
			}))
			return nil
		},
		Target: func(_ *lab.Env, t *scanner.Target) { t.HTTP.Port = plainPort },
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestHTTPProbeRequests(t *testing.T) {
	var mu sync.Mutex
	var log []recorded
	l := startHTTPLab(t, lab.Options{Endpoints: []*lab.Endpoint{recordingEndpoint("rec", &mu, &log)}})
	target := l.Endpoint("rec").Target()
	target.Path = "/health?full=1"
	target.HTTP.Method = "HEAD"
	target.HTTP.Headers = map[string]string{"X-Api-Key": "sekrit"}
	r := scanHTTP(t, l, scanner.Options{UserAgent: "tlsaudit/test"}, target)
	if r.Err != nil || len(r.Findings) != 0 || len(r.CheckErrors) != 0 {
		t.Fatalf("err %v, findings %+v, check errors %+v", r.Err, r.Findings, r.CheckErrors)
	}
	mu.Lock()
	defer mu.Unlock()
	// The HTTPS probe, then the plain request; its redirect to the same
	// HTTPS URL is answered from memory, not requested again.
	if len(log) != 2 {
		t.Fatalf("%d requests: %+v", len(log), log)
	}
	https, plain := log[0], log[1]
	tlsPort, plainPort := itoa(target.Port), itoa(target.HTTPPort())
	if !https.tls || https.method != "HEAD" || https.uri != "/health?full=1" || https.ua != "tlsaudit/test" ||
		https.key != "sekrit" || https.host != "rec.tlsaudit.test:"+tlsPort {
		t.Errorf("HTTPS request %+v", https)
	}
	// Secrets never travel in cleartext: only the Host goes over plain HTTP.
	if plain.tls || plain.key != "" || plain.method != "HEAD" || plain.uri != "/health?full=1" ||
		plain.host != "rec.tlsaudit.test:"+plainPort || plain.ua != "tlsaudit/test" {
		t.Errorf("plain request %+v", plain)
	}
	hops := r.HTTP.Plain.Hops
	if r.HTTP.Plain.Verdict != httpprobe.PlainRedirectsToHTTPS || len(hops) != 2 || !hops[1].Reused {
		t.Errorf("plain probe %+v", r.HTTP.Plain)
	}
	if !slices.Equal(r.HTTP.HeaderNames, []string{"X-Api-Key"}) {
		t.Errorf("header names %q", r.HTTP.HeaderNames)
	}
}

// countingListen counts the connections an endpoint's TLS port accepts.
func countingListen(n *atomic.Int32) func(*lab.Env, string) (net.Listener, error) {
	return func(_ *lab.Env, addr string) (net.Listener, error) {
		ln, err := net.Listen("tcp", addr)
		return &countingListener{Listener: ln, n: n}, err
	}
}

type countingListener struct {
	net.Listener
	n *atomic.Int32
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// TestHTTPProbeConnections counts the connections the HTTP probes add to
// the shared handshake's one: none, as the HTTPS request goes over the
// shared handshake's connection, and none when no HTTP check is selected
// or the target is not HTTP.
func TestHTTPProbeConnections(t *testing.T) {
	counts := map[string]*atomic.Int32{}
	var eps []*lab.Endpoint
	for _, ep := range lab.Endpoints() {
		if slices.Contains([]string{"good", "plain-http-redirect", "redirect-loop", "tls-not-http", "static-rsa-only"}, ep.Name) {
			counts[ep.Name] = &atomic.Int32{}
			ep.Listen = countingListen(counts[ep.Name])
			eps = append(eps, ep)
		}
	}
	l := startHTTPLab(t, lab.Options{Endpoints: eps})
	// Every check but the protocol enumeration ones, which make dozens of
	// connections of their own.
	var noEnum []*scanner.Check
	for _, c := range checks.All() {
		if c.Needs&scanner.NeedEnumeration == 0 {
			noEnum = append(noEnum, c)
		}
	}
	certOnly := []*scanner.Check{checks.CertExpired, checks.HostnameMismatch}
	tests := []struct {
		endpoint string
		checks   []*scanner.Check
		want     int32
	}{
		{"good", noEnum, 1},
		{"good", certOnly, 1},
		{"plain-http-redirect", noEnum, 1}, // the redirect to HTTPS is the HTTPS probe's answer
		{"redirect-loop", noEnum, 1},
		{"tls-not-http", noEnum, 1},
		// Go's defaults refused, then crypto/tls with static RSA; the
		// HTTPS request goes over the latter.
		{"static-rsa-only", noEnum, 2},
	}
	for _, tt := range tests {
		n := counts[tt.endpoint]
		n.Store(0)
		r := scanHTTP(t, l, scanner.Options{Checks: tt.checks}, l.Endpoint(tt.endpoint).Target())
		if msg := lab.Mismatch(l.Endpoint(tt.endpoint).Endpoint, r); len(tt.checks) == len(noEnum) && tt.endpoint != "static-rsa-only" && msg != "" {
			t.Errorf("%s: %s", tt.endpoint, msg)
		}
		if got := n.Load(); got != tt.want {
			t.Errorf("%s with %d checks: %d connections to the TLS port, want %d", tt.endpoint, len(tt.checks), got, tt.want)
		}
		if tt.endpoint == "tls-not-http" && r.HTTP != nil {
			t.Errorf("protocol tls target has HTTP observations %+v", r.HTTP)
		}
	}
}

// TestHTTPSProbeUsesTargetTrust: the HTTPS probe verifies with the target's
// own roots, and still reads the headers of a host it cannot verify.
func TestHTTPSProbeUsesTargetTrust(t *testing.T) {
	l := startHTTPLab(t, lab.Options{Only: []string{"good"}})
	target := l.Endpoint("good").Target()
	r := scanHTTP(t, l, scanner.Options{}, target)
	if hp := r.HTTP.HTTPS; !hp.CertVerified || hp.HSTS == nil || !hp.HSTS.Valid {
		t.Errorf("with the lab CA: %+v", hp)
	}
	target.Roots, target.RootsName = x509.NewCertPool(), "empty"
	r = scanHTTP(t, l, scanner.Options{}, target)
	hp := r.HTTP.HTTPS
	if hp.CertVerified || hp.CertError == "" || hp.HSTS == nil || !hp.HSTS.Valid {
		t.Errorf("with an empty trust store: %+v", hp)
	}
	for _, f := range r.Findings {
		if f.CheckID != "chain-untrusted-root" {
			t.Errorf("unexpected finding %+v", f)
		}
	}
}

// TestRedirectLimit: redirects that never end are followed MaxRedirects
// times, then the probe stops and says so.
func TestRedirectLimit(t *testing.T) {
	var plainPort int
	ep := &lab.Endpoint{
		Name: "endless",
		Start: func(env *lab.Env, ln net.Listener) error {
			cfg, err := labCert(env, env.ServerName("endless"))
			if err != nil {
				return err
			}
			pln, port, err := env.ListenCompanion()
			if err != nil {
				return err
			}
			plainPort = port
			tlsPort := itoa(ln.Addr().(*net.TCPAddr).Port)
			next := func(w http.ResponseWriter, r *http.Request) {
				host, _, _ := net.SplitHostPort(r.Host)
				http.Redirect(w, r, "https://"+net.JoinHostPort(host, tlsPort)+r.URL.Path+"x", http.StatusFound)
			}
			env.ServeHTTPS(ln, cfg, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Strict-Transport-Security", "max-age=31536000")
				next(w, r)
			}))
			env.ServePlainHTTP(pln, http.HandlerFunc(next))
			return nil
		},
		Target: func(_ *lab.Env, t *scanner.Target) { t.HTTP.Port = plainPort },
	}
	l := startHTTPLab(t, lab.Options{Endpoints: []*lab.Endpoint{ep}})
	for _, limit := range []int{0, 2} {
		r := scanHTTP(t, l, scanner.Options{MaxRedirects: limit}, l.Endpoint("endless").Target())
		pl := r.HTTP.Plain
		want := 1 + cmp.Or(limit, httpprobe.DefaultMaxRedirects) // the first request, then the redirects
		if len(pl.Hops) != want || pl.Stopped == "" || pl.Verdict != httpprobe.PlainRedirectsToHTTPS || len(r.Findings) != 0 {
			t.Errorf("limit %d: %d hops (want %d), stopped %q, verdict %s, findings %+v", limit, len(pl.Hops), want, pl.Stopped, pl.Verdict, r.Findings)
		}
	}
}

// TestPlainPortTarpit: a plain-HTTP port that accepts and never answers is
// not a fallback (nothing is served); when the target's deadline ends the
// wait instead, the check cannot decide and says so.
func TestPlainPortTarpit(t *testing.T) {
	var plainPort int
	ep := &lab.Endpoint{
		Name: "tarpit80",
		Start: func(env *lab.Env, ln net.Listener) error {
			cfg, err := labCert(env, env.ServerName("tarpit80"))
			if err != nil {
				return err
			}
			env.ServeHTTPS(ln, cfg, lab.Hello("tarpit80"))
			pln, port, err := env.ListenCompanion()
			plainPort = port
			if err == nil {
				env.Accept(pln, func(c net.Conn) { <-env.Done() })
			}
			return err
		},
		Target: func(_ *lab.Env, t *scanner.Target) { t.HTTP.Port = plainPort },
	}
	l := startHTTPLab(t, lab.Options{Endpoints: []*lab.Endpoint{ep}})
	target := l.Endpoint("tarpit80").Target()
	target.ConnectTimeout = 500 * time.Millisecond
	r := scanHTTP(t, l, scanner.Options{}, target)
	if msg := lab.Mismatch(ep, r); msg != "" || r.HTTP.Plain.Verdict != httpprobe.PlainNoHTTP {
		t.Errorf("%s; plain probe %+v", msg, r.HTTP.Plain)
	}
	// The deadline ends the plain probe (its connect timeout is longer), with
	// room for the TLS handshake before it on a loaded machine.
	target.ConnectTimeout, target.Deadline = 10*time.Second, 3*time.Second
	r = scanHTTP(t, l, scanner.Options{}, target)
	if len(r.CheckErrors) != 1 || r.CheckErrors[0].CheckID != "http-plaintext-fallback" || r.HTTP.Plain.Verdict != httpprobe.PlainUndecided {
		t.Errorf("check errors %+v, plain probe %+v", r.CheckErrors, r.HTTP.Plain)
	}
}

// TestSkippingTheFallbackCheckSkipsThePlainProbe: a filtered port 80 costs
// a connect timeout per target, so a user who skips the fallback check
// must not pay for it.
func TestSkippingTheFallbackCheckSkipsThePlainProbe(t *testing.T) {
	l := startHTTPLab(t, lab.Options{Only: []string{"plain-http-200"}})
	target := l.Endpoint("plain-http-200").Target()
	target.Checks = scanner.Selection{Skip: []string{"http-plaintext-fallback"}}
	r := scanHTTP(t, l, scanner.Options{}, target)
	if r.HTTP == nil || r.HTTP.HTTPS == nil || r.HTTP.Plain != nil || len(r.Findings) != 0 {
		t.Errorf("HTTP observation %+v, findings %+v", r.HTTP, r.Findings)
	}
}
