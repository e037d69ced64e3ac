package lab

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net"
	"sync"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// vulnEndpoints fire the known-vulnerability checks. Most are a bug proxy
// (bugproxy.go) in front of a crypto/tls server, TLS 1.2 only like the
// OpenSSL releases they imitate, so ordinary clients complete real
// handshakes and only the probe that triggers the bug sees it; testssl.sh
// flags the same bugs on them (docs/vulnerabilities.md).
func vulnEndpoints() []*Endpoint {
	tls12 := goTLS{min: tls.VersionTLS12, max: tls.VersionTLS12}
	// testssl's Heartbleed and CCS probes offer RSA-authenticated suites
	// only, as OpenSSL servers of the time had RSA keys.
	tls12RSA := goTLS{min: tls.VersionTLS12, max: tls.VersionTLS12, rsa: true}
	rsaECDHE := goTLS{min: tls.VersionTLS12, max: tls.VersionTLS12, rsa: true,
		suites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}}
	return []*Endpoint{
		bugEndpoint("heartbleed", "TLS 1.2, answers over-long heartbeat requests with filler standing for memory (Heartbleed imitation)",
			[]string{"heartbleed", "protocol-no-tls13"}, bugHeartbleed, tls12RSA, nil),
		// testssl's CCS hello has no extensions, so no ECDHE: the
		// server also takes RSA key exchange, as OpenSSL 1.0.1 servers did.
		bugEndpoint("ccs-injection", "TLS 1.2 with ECDHE-RSA and RSA key exchange, accepts an early ChangeCipherSpec (CVE-2014-0224 imitation)",
			[]string{"ccs-injection", "cipher-no-forward-secrecy", "protocol-no-tls13"}, bugCCS,
			goTLS{min: tls.VersionTLS12, max: tls.VersionTLS12, rsa: true,
				suites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_128_CBC_SHA}}, nil),
		bugEndpoint("robot", "TLS 1.2 static RSA, answers by RSA padding error: a strong Bleichenbacher oracle (ROBOT imitation)",
			[]string{"robot", "cipher-no-forward-secrecy", "protocol-no-tls13"}, bugROBOT,
			goTLS{min: tls.VersionTLS12, max: tls.VersionTLS12, rsa: true,
				suites: []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384}}, nil),
		bugEndpoint("ssl2", "TLS 1.2, and answers SSLv2 hellos with an SSLv2 SERVER-HELLO (DROWN precondition); own RSA key",
			[]string{"protocol-ssl2", "protocol-no-tls13"}, bugSSL2, rsaECDHE, ssl2Key),
		bugEndpoint("compression", "TLS 1.2, chooses DEFLATE compression when offered (CRIME imitation)",
			[]string{"compression", "protocol-no-tls13"}, bugCompression, tls12, nil),
		bugEndpoint("no-fallback-scsv", "TLS 1.1-1.2, ignores TLS_FALLBACK_SCSV",
			[]string{"fallback-scsv-missing", "protocol-tls11", "protocol-no-tls13"}, bugNoFallbackSCSV,
			goTLS{min: tls.VersionTLS11, max: tls.VersionTLS12}, nil),
		bugEndpoint("weak-curve", "TLS 1.2 ECDHE-RSA, also accepts secp192r1",
			[]string{"curve-weak", "protocol-no-tls13"}, bugWeakCurve, rsaECDHE, nil),
		{
			Name:      "no-secure-renegotiation",
			Doc:       "TLS 1.2 DHE-RSA, ServerHello without renegotiation_info or extended_master_secret (pre-2010 server); fake server",
			Want:      []string{"renegotiation-insecure", "extended-master-secret-missing", "protocol-no-tls13"},
			WantError: netx.KindHandshake,
			Start: func(env *Env, ln net.Listener) error {
				c, err := rsaLeaf(env, "no-secure-renegotiation")
				if err != nil {
					return err
				}
				h := helloOnlyServer{minVersion: tlsinfo.VersionTLS12, maxVersion: tlsinfo.VersionTLS12, dhBits: 2048,
					suites: []uint16{0x009E}, chain: c.Certificate, legacy: true} // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
				env.Accept(ln, h.serve)
				return nil
			},
		},
		{
			Name: "client-renegotiation",
			Doc:  "TLS 1.2 ECDHE-RSA-AES128-GCM, accepts renegotiation started by the client (like GnuTLS/slapd); hand-built server",
			Want: []string{"renegotiation-client-initiated", "protocol-no-tls13"},
			Start: func(env *Env, ln net.Listener) error {
				c, err := rsaLeaf(env, "client-renegotiation")
				if err != nil {
					return err
				}
				key, err := rsaKey()
				if err != nil {
					return err
				}
				s := &renegServer{name: "client-renegotiation", chain: c.Certificate, key: key}
				env.Accept(ln, s.serve)
				return nil
			},
		},
		httpsEndpoint("must-staple", "certificate with OCSP must-staple (TLS Feature status_request), served without a staple",
			[]string{"ocsp-must-staple-missing"}, leaf(CertSpec{Tweak: func(c *x509.Certificate) {
				value, _ := asn1.Marshal([]int{5}) // status_request
				c.ExtraExtensions = append(c.ExtraExtensions, pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 24}, Value: value})
			}})),
	}
}

// ssl2Key is the SSLv2 endpoint's own RSA key: a key shared with an SSLv2
// server is itself a finding (DROWN), so it must not be the one every
// other RSA endpoint of the lab serves.
var ssl2Key = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// bugEndpoint serves a crypto/tls server configured by g behind a bug
// proxy playing b. key, if set, is the RSA key of its certificate instead
// of the lab's shared one.
func bugEndpoint(name, doc string, want []string, b bug, g goTLS, key func() (*rsa.PrivateKey, error)) *Endpoint {
	return &Endpoint{
		Name: name,
		Doc:  doc,
		Want: want,
		Start: func(env *Env, ln net.Listener) error {
			p := &bugProxy{name: name, bug: b}
			var cert tls.Certificate
			var err error
			switch {
			case key != nil:
				if p.key, err = key(); err == nil {
					cert, err = leaf(CertSpec{Key: p.key})(env, env.ServerName(name))
				}
			case g.rsa:
				if p.key, err = rsaKey(); err == nil {
					cert, err = rsaLeaf(env, name)
				}
			default:
				cert, err = leaf(CertSpec{})(env, env.ServerName(name))
			}
			if err != nil {
				return err
			}
			p.leaf = cert.Certificate[0]
			p.backend = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: g.min, MaxVersion: g.max, CipherSuites: g.suites}
			p.start(env, ln)
			return nil
		},
	}
}
