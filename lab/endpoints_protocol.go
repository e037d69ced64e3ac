package lab

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"net"
	"sync"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// protocolEndpoints are the endpoints of the protocol and cipher checks.
// crypto/tls serves what it still implements when the versions and suites
// are listed explicitly (MinVersion and CipherSuites override the GODEBUG
// defaults, so no GODEBUG is needed); zcrypto serves a server-chosen order
// (crypto/tls ignores the configured order); helloOnlyServer plays what
// neither library serves at all: SSL 3.0, NULL, EXPORT, anonymous DH and DH
// groups other than 2048 bits. Those endpoints complete no handshake, so
// their scan ends with handshake-failed and the enumeration's findings.
func protocolEndpoints() []*Endpoint {
	return []*Endpoint{
		goTLSEndpoint("tls12-only", "TLS 1.2 only, Go's default suites", []string{"protocol-no-tls13"},
			goTLS{min: tls.VersionTLS12, max: tls.VersionTLS12}),
		goTLSEndpoint("tls13-only", "TLS 1.3 only: clients without TLS 1.3 are cut off (info under intermediate)",
			[]string{"protocol-no-tls12"}, goTLS{min: tls.VersionTLS13}),
		withTarget(goTLSEndpoint("tls13-only-modern", "TLS 1.3 only, held to Mozilla's modern profile, which asks exactly that", nil,
			goTLS{min: tls.VersionTLS13}), func(_ *Env, t *scanner.Target) { t.Profile = scanner.ProfileModern }),
		goTLSEndpoint("tls10-only", "TLS 1.0 only (ECDHE-ECDSA CBC suites)",
			[]string{"protocol-tls10", "protocol-no-tls12", "protocol-no-tls13", "cipher-cbc-only"},
			goTLS{min: tls.VersionTLS10, max: tls.VersionTLS10}),
		goTLSEndpoint("tls11-only", "TLS 1.1 only (ECDHE-ECDSA CBC suites)",
			[]string{"protocol-tls11", "protocol-no-tls12", "protocol-no-tls13", "cipher-cbc-only"},
			goTLS{min: tls.VersionTLS11, max: tls.VersionTLS11}),
		goTLSEndpoint("3des-only", "TLS 1.2 with ECDHE-RSA-3DES only (SWEET32)",
			[]string{"cipher-des", "cipher-cbc-only", "protocol-no-tls13"},
			goTLS{min: tls.VersionTLS12, max: tls.VersionTLS12, rsa: true,
				suites: []uint16{tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA}}),
		goTLSEndpoint("rc4", "TLS 1.2-1.3 accepting ECDHE-RSA-RC4 after AES-GCM", []string{"cipher-rc4"},
			goTLS{min: tls.VersionTLS12, rsa: true,
				suites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_RC4_128_SHA}}),
		goTLSEndpoint("cbc-only", "TLS 1.2 with ECDHE-ECDSA AES-CBC suites only", []string{"cipher-cbc-only", "protocol-no-tls13"},
			goTLS{min: tls.VersionTLS12, max: tls.VersionTLS12,
				suites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA}}),
		goTLSEndpoint("static-rsa-only", "TLS 1.2 with static-RSA key exchange only (no forward secrecy)",
			[]string{"cipher-no-forward-secrecy", "protocol-no-tls13"},
			goTLS{min: tls.VersionTLS12, max: tls.VersionTLS12, rsa: true,
				suites: []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384}}),
		weakPreferredEndpoint(),
		helloOnlyEndpoint("ssl3", "SSL 3.0 to TLS 1.2 with DHE-RSA suites (2048-bit group); fake server",
			[]string{"protocol-ssl3", "protocol-tls10", "protocol-tls11", "protocol-no-tls13"},
			helloOnlyServer{minVersion: tlsinfo.VersionSSL30, maxVersion: tlsinfo.VersionTLS12, dhBits: 2048,
				suites: []uint16{0x009E, 0x0033}}), // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, _AES_128_CBC_SHA
		helloOnlyEndpoint("null", "TLS 1.2 with RSA NULL-encryption suites only; fake server",
			[]string{"cipher-null", "protocol-no-tls13"},
			helloOnlyServer{minVersion: tlsinfo.VersionTLS12, maxVersion: tlsinfo.VersionTLS12,
				suites: []uint16{0x003B, 0x0002}}), // TLS_RSA_WITH_NULL_SHA256, TLS_RSA_WITH_NULL_SHA
		helloOnlyEndpoint("export", "TLS 1.0 with an RSA export suite only (FREAK); fake server",
			[]string{"cipher-export", "protocol-tls10", "protocol-no-tls12", "protocol-no-tls13"},
			helloOnlyServer{minVersion: tlsinfo.VersionTLS10, maxVersion: tlsinfo.VersionTLS10,
				suites: []uint16{0x0003}}), // TLS_RSA_EXPORT_WITH_RC4_40_MD5
		helloOnlyEndpoint("anon-dh", "TLS 1.2 with anonymous DH suites only (2048-bit group); fake server",
			[]string{"cipher-anonymous", "protocol-no-tls13"},
			helloOnlyServer{minVersion: tlsinfo.VersionTLS12, maxVersion: tlsinfo.VersionTLS12, dhBits: 2048,
				suites: []uint16{0x00A6, 0x003A}}), // TLS_DH_anon_WITH_AES_128_GCM_SHA256, _AES_256_CBC_SHA
		helloOnlyEndpoint("dh-1024", "TLS 1.2 with DHE-RSA suites over a 1024-bit group (Logjam); fake server",
			[]string{"dh-weak-group", "protocol-no-tls13"},
			helloOnlyServer{minVersion: tlsinfo.VersionTLS12, maxVersion: tlsinfo.VersionTLS12, dhBits: 1024,
				suites: []uint16{0x009E, 0x009F}}), // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, _AES_256_GCM_SHA384
	}
}

// goTLS is a crypto/tls server configuration for an endpoint.
type goTLS struct {
	min, max uint16
	suites   []uint16
	// rsa serves an RSA certificate (static RSA and ECDHE-RSA suites need
	// one) instead of the lab's default ECDSA one.
	rsa bool
}

func goTLSEndpoint(name, doc string, want []string, g goTLS) *Endpoint {
	return &Endpoint{
		Name: name,
		Doc:  doc,
		Want: want,
		Start: func(env *Env, ln net.Listener) error {
			var cert tls.Certificate
			var err error
			if g.rsa {
				cert, err = rsaLeaf(env, name)
			} else {
				cert, err = leaf(CertSpec{})(env, env.ServerName(name))
			}
			if err != nil {
				return err
			}
			env.ServeHTTPS(ln, &tls.Config{
				Certificates: []tls.Certificate{cert},
				MinVersion:   g.min,
				MaxVersion:   g.max,
				CipherSuites: g.suites,
			}, Hello(name))
			return nil
		},
	}
}

func helloOnlyEndpoint(name, doc string, want []string, h helloOnlyServer) *Endpoint {
	return &Endpoint{
		Name:      name,
		Doc:       doc,
		Want:      want,
		WantError: netx.KindHandshake,
		Start: func(env *Env, ln net.Listener) error {
			c, err := rsaLeaf(env, name)
			if err != nil {
				return err
			}
			h.chain = c.Certificate
			env.Accept(ln, h.serve)
			return nil
		},
	}
}

func withTarget(ep *Endpoint, f func(*Env, *scanner.Target)) *Endpoint {
	ep.Target = f
	return ep
}

// rsaKey is shared by every RSA endpoint of every lab in the process:
// generating a 2048-bit key takes long enough to slow each lab start.
var rsaKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// rsaLeaf issues an RSA leaf for the endpoint from the lab intermediate.
func rsaLeaf(env *Env, name string) (tls.Certificate, error) {
	k, err := rsaKey()
	if err != nil {
		return tls.Certificate{}, err
	}
	return leaf(CertSpec{Key: k})(env, env.ServerName(name))
}
