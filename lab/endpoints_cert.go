package lab

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

const day = 24 * time.Hour

// chainFunc makes the chain an endpoint serves.
type chainFunc func(env *Env, name string) (tls.Certificate, error)

// httpsEndpoint is an HTTPS server (with HSTS) serving the chain mk makes.
func httpsEndpoint(name, doc string, want []string, mk chainFunc) *Endpoint {
	return &Endpoint{Name: name, Doc: doc, Want: want, Start: serveChain(name, mk)}
}

// serveChain is httpsEndpoint's Start, for endpoints that also set a
// Target or WantUndecided: serve Hello over TLS with the chain mk makes
// for the endpoint's server name.
func serveChain(name string, mk chainFunc) func(*Env, net.Listener) error {
	return func(env *Env, ln net.Listener) error {
		cert, err := mk(env, env.ServerName(name))
		if err != nil {
			return err
		}
		env.ServeHTTPS(ln, &tls.Config{Certificates: []tls.Certificate{cert}}, Hello(name))
		return nil
	}
}

// leaf issues a leaf from the lab intermediate and serves it with the
// intermediate, as a correctly configured server does.
func leaf(spec CertSpec) chainFunc {
	return func(env *Env, name string) (tls.Certificate, error) {
		if spec.Names == nil && spec.CN == "" {
			spec.Names = []string{name}
		}
		if spec.CN == "" {
			spec.CN = name
		}
		if spec.Issuer == nil {
			spec.Issuer = env.PKI.Inter
		}
		c, err := env.PKI.Issue(spec)
		if err != nil {
			return tls.Certificate{}, err
		}
		if spec.Issuer == env.PKI.Inter {
			return c.Chain(env.PKI.Inter), nil
		}
		return c.Chain(), nil
	}
}

// sanEndpoint serves a lab leaf whose names are sans (not the endpoint's
// own name), scanned as target says.
func sanEndpoint(name, doc string, want []string, sans func(*Env) []string, target func(*Env, *scanner.Target)) *Endpoint {
	ep := httpsEndpoint(name, doc, want, func(env *Env, _ string) (tls.Certificate, error) {
		return leaf(CertSpec{Names: sans(env)})(env, "")
	})
	ep.Target = target
	return ep
}

// certEndpoints are the endpoints of the expiry, trust and hostname checks.
func certEndpoints() []*Endpoint {
	return []*Endpoint{
		httpsEndpoint("good", "valid chain from the lab CA, right name, TLS 1.2-1.3, HSTS", nil, leaf(CertSpec{})),
		sanEndpoint("wildcard", "wildcard certificate *.wildcard.tlsaudit.test asked for as api.wildcard.tlsaudit.test", nil,
			func(*Env) []string { return []string{"*.wildcard." + Domain} },
			func(env *Env, t *scanner.Target) { t.ServerName = "api.wildcard." + Domain }),
		sanEndpoint("wildcard-too-deep", "wildcard *.wildcard.tlsaudit.test asked for two labels down, which RFC 6125 forbids",
			[]string{"hostname-mismatch"},
			func(*Env) []string { return []string{"*.wildcard." + Domain} },
			func(env *Env, t *scanner.Target) { t.ServerName = "a.b.wildcard." + Domain }),
		sanEndpoint("ip-address", "scanned by IP with no server name: no SNI sent, certificate has the IP as a SAN", nil,
			func(env *Env) []string { return []string{env.Host} },
			func(env *Env, t *scanner.Target) { t.ServerName = t.Host }),
		httpsEndpoint("expired", "leaf expired 10 days ago", []string{"cert-expired"},
			leaf(CertSpec{From: -100 * day, Until: -10 * day})),
		httpsEndpoint("not-yet-valid", "leaf valid only from 10 days from now", []string{"cert-not-yet-valid"},
			leaf(CertSpec{From: 10 * day, Until: 100 * day})),
		httpsEndpoint("expiring-soon", "leaf expires in 10 days", []string{"cert-expiring-soon"},
			leaf(CertSpec{From: -80 * day, Until: 10 * day})),
		httpsEndpoint("expired-intermediate", "intermediate expired 5 days ago, leaf still valid", []string{"cert-expired"},
			func(env *Env, name string) (tls.Certificate, error) {
				inter, err := env.PKI.Issue(CertSpec{CN: "tlsaudit lab expired intermediate", CA: true, Issuer: env.PKI.Root,
					From: -400 * day, Until: -5 * day})
				if err != nil {
					return tls.Certificate{}, err
				}
				c, err := env.PKI.Issue(CertSpec{CN: name, Names: []string{name}, Issuer: inter,
					From: -30 * day, Until: 55 * day})
				if err != nil {
					return tls.Certificate{}, err
				}
				return c.Chain(inter), nil
			}),
		// AddTrust, May 2020: servers kept sending a cross-certificate of
		// their root by an older root after it expired. Clients that
		// verify find the trusted root itself and ignore it; only the
		// finding's severity (low) says so.
		httpsEndpoint("expired-cross-root", "good chain plus an expired cross-certificate of the lab root, off the verified path",
			[]string{"cert-expired"},
			func(env *Env, name string) (tls.Certificate, error) {
				old, err := env.PKI.Issue(CertSpec{CN: "tlsaudit lab retired root CA", CA: true, From: -20 * 365 * day, Until: 20 * 365 * day})
				if err != nil {
					return tls.Certificate{}, err
				}
				cross, err := env.PKI.Issue(CertSpec{CN: env.PKI.Root.Cert.Subject.CommonName, CA: true, Issuer: old, Key: env.PKI.Root.Key,
					From: -5 * 365 * day, Until: -30 * day})
				if err != nil {
					return tls.Certificate{}, err
				}
				c, err := leaf(CertSpec{})(env, name)
				if err != nil {
					return tls.Certificate{}, err
				}
				c.Certificate = append(c.Certificate, cross.Cert.Raw)
				return c, nil
			}),
		httpsEndpoint("self-signed", "self-signed leaf", []string{"chain-self-signed"},
			func(env *Env, name string) (tls.Certificate, error) {
				c, err := env.PKI.Issue(CertSpec{CN: name, Names: []string{name}})
				if err != nil {
					return tls.Certificate{}, err
				}
				return c.Chain(), nil
			}),
		httpsEndpoint("unknown-root", "complete chain to a root nobody trusts", []string{"chain-untrusted-root"},
			func(env *Env, name string) (tls.Certificate, error) {
				c, err := env.PKI.Issue(CertSpec{CN: name, Names: []string{name}, Issuer: env.PKI.OtherInter})
				if err != nil {
					return tls.Certificate{}, err
				}
				return c.Chain(env.PKI.OtherInter), nil
			}),
		httpsEndpoint("private-root", "leaf issued straight from an untrusted private root (mkcert style, no AIA)", []string{"chain-untrusted-root"},
			func(env *Env, name string) (tls.Certificate, error) {
				c, err := env.PKI.Issue(CertSpec{CN: name, Names: []string{name}, Issuer: env.PKI.OtherRoot,
					Tweak: func(t *x509.Certificate) { t.IssuingCertificateURL = nil }})
				if err != nil {
					return tls.Certificate{}, err
				}
				return c.Chain(), nil
			}),
		httpsEndpoint("incomplete-chain", "leaf from the lab intermediate, served without the intermediate", []string{"chain-incomplete"},
			func(env *Env, name string) (tls.Certificate, error) {
				c, err := env.PKI.Issue(CertSpec{CN: name, Names: []string{name}, Issuer: env.PKI.Inter})
				if err != nil {
					return tls.Certificate{}, err
				}
				return c.Chain(), nil
			}),
		httpsEndpoint("wrong-usage", "leaf whose extended key usage allows client auth only", []string{"chain-invalid"},
			leaf(CertSpec{Tweak: func(t *x509.Certificate) { t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} }})),
		sanEndpoint("wrong-host", "certificate for other.tlsaudit.test", []string{"hostname-mismatch"},
			func(*Env) []string { return []string{"other." + Domain, "www.other." + Domain} }, nil),
		{
			Name: "cn-only",
			Doc:  "the host appears only in the subject CN, which clients ignore",
			Want: []string{"hostname-mismatch", "cert-missing-san"},
			Start: func(env *Env, ln net.Listener) error {
				name := env.ServerName("cn-only")
				c, err := env.PKI.Issue(CertSpec{CN: name, Issuer: env.PKI.Inter})
				if err != nil {
					return err
				}
				env.ServeHTTPS(ln, &tls.Config{Certificates: []tls.Certificate{c.Chain(env.PKI.Inter)}}, Hello("cn-only"))
				return nil
			},
		},
		{
			Name: "dual-stack",
			Doc:  "a DNS name with an IPv4 and an IPv6 address, both serving (for --all-addresses)",
			Start: func(env *Env, ln net.Listener) error {
				name := env.ServerName("dual-stack")
				c, err := leaf(CertSpec{})(env, name)
				if err != nil {
					return err
				}
				cfg := &tls.Config{Certificates: []tls.Certificate{c}}
				env.ServeHTTPS(ln, cfg, Hello("dual-stack"))
				// The same port on ::1, when the machine has IPv6 loopback.
				port := netip.MustParseAddrPort(ln.Addr().String()).Port()
				if ln6, err := net.Listen("tcp", net.JoinHostPort("::1", strconv.Itoa(int(port)))); err == nil {
					env.OnClose(func() { ln6.Close() })
					env.ServeHTTPS(ln6, cfg, Hello("dual-stack"))
					env.AddName(name, netip.IPv6Loopback())
				}
				return nil
			},
			Target: func(env *Env, t *scanner.Target) { t.Host = t.ServerName },
		},
		{
			Name:      "dns-missing",
			Doc:       "a name the lab's DNS does not know (NXDOMAIN)",
			WantError: netx.KindDNS,
			Start:     closeListener,
			Target:    func(env *Env, t *scanner.Target) { t.Host = "missing." + Domain; t.ServerName = t.Host },
		},
	}
}
