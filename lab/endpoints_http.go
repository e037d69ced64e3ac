package lab

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// httpEndpoints are the endpoints of the HTTP checks: plain-HTTP fallback,
// plain HTTP on the TLS port, and HSTS. Each serves HTTPS with a valid lab
// certificate on its TLS port; those that need a plain-HTTP port open a
// companion listener and name it as the target's http_port. The others
// keep the lab's closed port, where the plain-HTTP probe finds nothing.
func httpEndpoints() []*Endpoint {
	return []*Endpoint{
		withPlainHTTP("plain-http-200", "plain HTTP serves the API (200) next to HTTPS instead of redirecting",
			[]string{"http-plaintext-fallback"},
			func(s *site) http.Handler { return Hello("plain-http-200") }),
		withPlainHTTP("plain-http-redirect", "plain HTTP redirects to HTTPS on the same host, as it should",
			nil,
			func(s *site) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, s.httpsURL(r, r.URL.RequestURI()), http.StatusMovedPermanently)
				})
			}),
		withPlainHTTP("plain-http-refused", "plain HTTP answers 403 \"use HTTPS\" (as APIs should) and serves nothing",
			nil,
			func(s *site) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Error(w, "plain HTTP is not served; use https://", http.StatusForbidden)
				})
			}),
		withPlainHTTP("plain-http-redirect-http", "plain HTTP redirects to another plain-HTTP URL (a login page served in cleartext)",
			[]string{"http-plaintext-fallback"},
			func(s *site) http.Handler {
				mux := http.NewServeMux()
				mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
					fmt.Fprintln(w, "<form method=post>password: <input type=password name=p></form>")
				})
				mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, "http://"+r.Host+"/login", http.StatusFound)
				})
				return mux
			}),
		withCompanion("redirect-loop", "plain HTTP redirects to HTTPS, which redirects back to plain HTTP (a TLS-terminating proxy the app does not know about)",
			[]string{"http-plaintext-fallback"},
			func(env *Env, ln net.Listener, s *site) {
				env.ServeHTTPS(ln, s.tls, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
					http.Redirect(w, r, s.httpURL(r, r.URL.RequestURI()), http.StatusMovedPermanently)
				}))
				env.ServePlainHTTP(s.plainLn, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, s.httpsURL(r, r.URL.RequestURI()), http.StatusMovedPermanently)
				}))
			}),
		{
			Name:      "tls-port-speaks-http",
			Doc:       "plain HTTP on the TLS port of an HTTPS service (a load balancer forwarding to the backend's HTTP port)",
			Want:      []string{"tls-port-speaks-http"},
			WantError: netx.KindNotTLS,
			Start: func(env *Env, ln net.Listener) error {
				env.ServePlainHTTP(ln, Hello("tls-port-speaks-http"))
				return nil
			},
		},
		httpsWith("no-hsts", "HTTPS without a Strict-Transport-Security header", []string{"hsts-missing"},
			http.StatusOK, ""),
		httpsWith("hsts-short", "HSTS max-age of one day", []string{"hsts-short-max-age"},
			http.StatusOK, "max-age=86400; includeSubDomains"),
		httpsWith("hsts-malformed", "HSTS directives separated by a comma, so browsers ignore the header", []string{"hsts-malformed"},
			http.StatusOK, "max-age=31536000, includeSubDomains"),
		httpsWith("hsts-error-status", "HTTPS answers 503 without HSTS: error answers are checked too", []string{"hsts-missing"},
			http.StatusServiceUnavailable, ""),
		{
			Name: "tls-not-http",
			Doc:  "a TLS service that does not speak HTTP (a broker greeting first), declared protocol: tls, so no HTTP request is sent",
			Start: func(env *Env, ln net.Listener) error {
				return serveTLS(env, ln, "tls-not-http", func(c net.Conn) {
					// Any bytes a client sends are answered with a protocol
					// error, as a broker would answer a stray HTTP request.
					_, _ = io.WriteString(c, "* OK tlsaudit lab broker ready\r\n")
					buf := make([]byte, 512)
					if _, err := c.Read(buf); err == nil {
						_, _ = io.WriteString(c, "* BAD protocol error\r\n")
					}
				})
			},
			Target: func(env *Env, t *scanner.Target) { t.HTTP.Protocol = scanner.ProtocolTLS },
		},
	}
}

// site is an endpoint's TLS config and, when it has one, its plain-HTTP
// listener, with the URLs that lead from one to the other.
type site struct {
	tls       *tls.Config
	tlsPort   int
	plainLn   net.Listener
	plainPort int
}

// startSite makes name's certificate and opens its companion plain-HTTP
// listener.
func startSite(env *Env, name string, ln net.Listener) (*site, error) {
	cert, err := leaf(CertSpec{})(env, env.ServerName(name))
	if err != nil {
		return nil, err
	}
	s := &site{tls: &tls.Config{Certificates: []tls.Certificate{cert}}, tlsPort: portOf(ln)}
	if s.plainLn, s.plainPort, err = env.ListenCompanion(); err != nil {
		return nil, err
	}
	return s, nil
}

// httpsURL is the request's host on the site's TLS port.
func (s *site) httpsURL(r *http.Request, path string) string {
	return "https://" + net.JoinHostPort(hostname(r), strconv.Itoa(s.tlsPort)) + path
}

// httpURL is the request's host on the site's plain-HTTP port.
func (s *site) httpURL(r *http.Request, path string) string {
	return "http://" + net.JoinHostPort(hostname(r), strconv.Itoa(s.plainPort)) + path
}

func hostname(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.Host); err == nil {
		return h
	}
	return r.Host
}

func portOf(ln net.Listener) int {
	if a, ok := ln.Addr().(*net.TCPAddr); ok {
		return a.Port
	}
	return 0
}

// withCompanion is an endpoint with a plain-HTTP listener next to its TLS
// port: serve starts both servers, and the endpoint's target names the
// plain one as its http_port.
func withCompanion(name, doc string, want []string, serve func(env *Env, ln net.Listener, s *site)) *Endpoint {
	var s *site // set by Start, read by Target
	return &Endpoint{
		Name: name,
		Doc:  doc,
		Want: want,
		Start: func(env *Env, ln net.Listener) error {
			var err error
			if s, err = startSite(env, name, ln); err != nil {
				return err
			}
			serve(env, ln, s)
			return nil
		},
		Target: func(_ *Env, t *scanner.Target) {
			if s != nil {
				t.HTTP.Port = s.plainPort
			}
		},
	}
}

// withPlainHTTP is an HTTPS endpoint (lab.Hello, with HSTS) whose
// plain-HTTP listener serves plain(site).
func withPlainHTTP(name, doc string, want []string, plain func(*site) http.Handler) *Endpoint {
	return withCompanion(name, doc, want, func(env *Env, ln net.Listener, s *site) {
		env.ServeHTTPS(ln, s.tls, Hello(name))
		env.ServePlainHTTP(s.plainLn, plain(s))
	})
}

// httpsWith is an HTTPS endpoint answering status with the given
// Strict-Transport-Security value ("" for none).
func httpsWith(name, doc string, want []string, status int, sts string) *Endpoint {
	return &Endpoint{
		Name: name,
		Doc:  doc,
		Want: want,
		Start: func(env *Env, ln net.Listener) error {
			cert, err := leaf(CertSpec{})(env, env.ServerName(name))
			if err != nil {
				return err
			}
			env.ServeHTTPS(ln, &tls.Config{Certificates: []tls.Certificate{cert}}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if sts != "" {
					w.Header().Set("Strict-Transport-Security", sts)
				}
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(status)
				fmt.Fprintf(w, "tlsaudit lab endpoint %s\n", name)
			}))
			return nil
		},
	}
}
