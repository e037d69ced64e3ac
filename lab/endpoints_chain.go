package lab

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// chainEndpoints are the endpoints of the key, signature, lifetime,
// SAN, chain-shape, pinning, revocation, zlint and client-certificate
// checks.
func chainEndpoints() []*Endpoint {
	return []*Endpoint{
		httpsEndpoint("rsa-1024", "leaf with a 1024-bit RSA key", []string{"key-weak"},
			func(env *Env, name string) (tls.Certificate, error) {
				k, err := rsa.GenerateKey(rand.Reader, 1024)
				if err != nil {
					return tls.Certificate{}, err
				}
				return leaf(CertSpec{Key: k})(env, name)
			}),
		// crypto/x509 still signs with SHA-1 but refuses to verify such a
		// signature, as browsers and mobile platforms do: the chain is
		// reported invalid too, which is what clients will see.
		httpsEndpoint("sha1-signed", "leaf signed with ECDSA-SHA1 by the lab intermediate",
			[]string{"signature-weak", "chain-invalid"},
			leaf(CertSpec{Tweak: func(t *x509.Certificate) { t.SignatureAlgorithm = x509.ECDSAWithSHA1 }})),
		// Self-signed is decided by shape: crypto/x509 cannot check the
		// SHA-1 self-signature, and the leaf is refused for being its own
		// issuer whatever signs it.
		httpsEndpoint("self-signed-sha1", "self-signed leaf whose self-signature is ECDSA-SHA1",
			[]string{"chain-self-signed", "signature-weak"},
			func(env *Env, name string) (tls.Certificate, error) {
				c, err := env.PKI.Issue(CertSpec{CN: name, Names: []string{name},
					Tweak: func(t *x509.Certificate) { t.SignatureAlgorithm = x509.ECDSAWithSHA1 }})
				if err != nil {
					return tls.Certificate{}, err
				}
				return c.Chain(), nil
			}),
		httpsEndpoint("lifetime-825", "leaf valid for 825 days, issued yesterday", []string{"cert-lifetime-too-long"},
			leaf(CertSpec{From: -day, Until: 824 * day})),
		httpsEndpoint("chain-out-of-order", "leaf, then the lab intermediate, then the sub-intermediate that issued the leaf",
			[]string{"chain-order"},
			func(env *Env, name string) (tls.Certificate, error) {
				sub, err := env.PKI.Issue(CertSpec{CN: "tlsaudit lab sub-intermediate CA", CA: true, Issuer: env.PKI.Inter,
					From: -365 * day, Until: 5 * 365 * day})
				if err != nil {
					return tls.Certificate{}, err
				}
				c, err := env.PKI.Issue(CertSpec{CN: name, Names: []string{name}, Issuer: sub})
				if err != nil {
					return tls.Certificate{}, err
				}
				return c.Chain(env.PKI.Inter, sub), nil
			}),
		httpsEndpoint("sends-root", "leaf, intermediate and the lab root itself", []string{"chain-sends-root"},
			func(env *Env, name string) (tls.Certificate, error) {
				c, err := env.PKI.Issue(CertSpec{CN: name, Names: []string{name}, Issuer: env.PKI.Inter})
				if err != nil {
					return tls.Certificate{}, err
				}
				return c.Chain(env.PKI.Inter, env.PKI.Root), nil
			}),
		{
			Name:   "pinned",
			Doc:    "good chain; the target pins the lab root's key, which the server does not send",
			Start:  serveChain("pinned", leaf(CertSpec{})),
			Target: func(env *Env, t *scanner.Target) { t.Pins = []string{certinfo.SPKIPin(env.PKI.Root.Cert)} },
		},
		{
			Name:  "pin-mismatch",
			Doc:   "good chain; the target pins a key of another CA",
			Want:  []string{"pin-mismatch"},
			Start: serveChain("pin-mismatch", leaf(CertSpec{})),
			Target: func(env *Env, t *scanner.Target) {
				t.Pins = []string{certinfo.SPKIPin(env.PKI.OtherRoot.Cert), certinfo.SPKIPin(env.PKI.OtherInter.Cert)}
			},
		},
		staplingEndpoint("ocsp-good", "staples a fresh OCSP response saying good", nil, ocsp.Good, 0),
		staplingEndpoint("ocsp-revoked", "staples a fresh OCSP response saying revoked (key compromise)",
			[]string{"cert-revoked"}, ocsp.Revoked, 0),
		staplingEndpoint("ocsp-staple-expired", "staples a good OCSP response whose nextUpdate was 3 days ago",
			[]string{"ocsp-staple-expired"}, ocsp.Good, -10*day),
		{
			Name: "ocsp-online-revoked",
			Doc:  "staples nothing; the leaf's OCSP responder (a lab server) says revoked; scanned with online revocation checks",
			Want: []string{"cert-revoked"},
			Start: serveChain("ocsp-online-revoked", func(env *Env, name string) (tls.Certificate, error) {
				url, err := serveOCSP(env, ocsp.Revoked)
				if err != nil {
					return tls.Certificate{}, err
				}
				return leaf(CertSpec{Tweak: func(t *x509.Certificate) { t.OCSPServer = []string{url} }})(env, name)
			}),
			Target: func(_ *Env, t *scanner.Target) { t.OnlineRevocation = true },
		},
		crlEndpoint("crl-revoked", "the leaf's CRL (a lab server, signed by the lab intermediate) lists it as revoked (key compromise); scanned with online revocation checks",
			[]string{"cert-revoked"}, true),
		crlEndpoint("crl-good", "the leaf's CRL (a lab server, signed by the lab intermediate) lists another certificate only; scanned with online revocation checks",
			nil, false),
		{
			Name:   "mtls",
			Doc:    "requires a client certificate from the lab CA; the target presents one",
			Start:  startMTLS("mtls", tls.RequireAndVerifyClientCert),
			Target: func(env *Env, t *scanner.Target) { t.ClientCert = ptr(env.PKI.Client.Chain(env.PKI.Inter)) },
		},
		{
			Name:      "mtls-no-client-cert",
			Doc:       "requires a client certificate; the target has none, so the server ends the handshake",
			WantError: netx.KindClientCert,
			Start:     startMTLS("mtls-no-client-cert", tls.RequireAndVerifyClientCert),
		},
		{
			Name:  "mtls-optional",
			Doc:   "asks for a client certificate but accepts connections without one",
			Start: startMTLS("mtls-optional", tls.VerifyClientCertIfGiven),
		},
		zlintEndpoint(),
	}
}

func ptr[T any](v T) *T { return &v }

// startMTLS serves a good chain and asks for a client certificate from
// the lab CA, requiring it or not.
func startMTLS(name string, auth tls.ClientAuthType) func(*Env, net.Listener) error {
	return func(env *Env, ln net.Listener) error {
		c, err := leaf(CertSpec{})(env, env.ServerName(name))
		if err != nil {
			return err
		}
		env.ServeHTTPS(ln, &tls.Config{
			Certificates: []tls.Certificate{c},
			ClientAuth:   auth,
			ClientCAs:    env.PKI.RootPool(),
		}, Hello(name))
		return nil
	}
}

// staplingEndpoint staples an OCSP response with the given status about
// its leaf, signed by the lab intermediate, produced age ago (its
// nextUpdate is a week after).
func staplingEndpoint(name, doc string, want []string, status int, age time.Duration) *Endpoint {
	return httpsEndpoint(name, doc, want, func(env *Env, sn string) (tls.Certificate, error) {
		c, err := leaf(CertSpec{Tweak: func(t *x509.Certificate) {
			t.OCSPServer = []string{"http://ocsp." + Domain + "/"}
		}})(env, sn)
		if err != nil {
			return tls.Certificate{}, err
		}
		c.OCSPStaple, err = ocspResponse(env.PKI, c.Leaf.SerialNumber, status, env.PKI.Now.Add(age))
		return c, err
	})
}

// ocspResponse makes an OCSP response about serial from the lab
// intermediate, valid for a week from at.
func ocspResponse(p *PKI, serial *big.Int, status int, at time.Time) ([]byte, error) {
	tpl := ocsp.Response{
		Status:       status,
		SerialNumber: serial,
		ThisUpdate:   at.Add(-time.Hour),
		NextUpdate:   at.Add(7 * day),
	}
	if status == ocsp.Revoked {
		tpl.RevokedAt = at.Add(-2 * day)
		tpl.RevocationReason = ocsp.KeyCompromise
	}
	der, err := ocsp.CreateResponse(p.Inter.Cert, p.Inter.Cert, tpl, p.Inter.Key)
	if err != nil {
		return nil, fmt.Errorf("make OCSP response: %w", err)
	}
	return der, nil
}

// serveOCSP starts an OCSP responder on the lab host that answers every
// request about a certificate of the lab intermediate with status, and
// returns its URL.
func serveOCSP(env *Env, status int) (string, error) {
	// A companion port, so that with --base-port it cannot take a port
	// the lab gives to a later endpoint.
	ln, _, err := env.ListenCompanion()
	if err != nil {
		return "", err
	}
	env.ServePlainHTTP(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		req, err := ocsp.ParseRequest(body)
		if err != nil {
			http.Error(w, "not an OCSP request", http.StatusBadRequest)
			return
		}
		der, err := ocspResponse(env.PKI, req.SerialNumber, status, env.PKI.Now)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/ocsp-response")
		_, _ = w.Write(der)
	}))
	return "http://" + ln.Addr().String() + "/", nil
}
