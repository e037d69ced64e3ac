//go:build !nozcrypto && !windows && !(darwin && arm64 && !cgo)

package lab

import (
	"net"

	ztls "github.com/zmap/zcrypto/tls"
)

// weakPreferredEndpoint is served by zcrypto, the only server here that
// honours a configured suite order. zcrypto's tls package does not build
// with CGO_ENABLED=0 for windows or darwin/arm64; the lab has no such
// endpoint there (endpoints_legacy_unavailable.go).
func weakPreferredEndpoint() *Endpoint {
	return &Endpoint{
		// RC4 first was the 2011 BEAST workaround many servers kept.
		// crypto/tls ignores a configured order, zcrypto honours it.
		// zcrypto signs only with its own RSA type, hence ECDSA.
		Name: "weak-preferred",
		Doc:  "TLS 1.2, server order puts ECDHE-ECDSA-RC4 before ECDHE-ECDSA-AES128-GCM (zcrypto server, which never negotiates the extended master secret)",
		Want: []string{"cipher-rc4", "cipher-weak-preferred", "extended-master-secret-missing", "protocol-no-tls13"},
		Start: func(env *Env, ln net.Listener) error {
			c, err := leaf(CertSpec{})(env, env.ServerName("weak-preferred"))
			if err != nil {
				return err
			}
			cfg := &ztls.Config{
				Certificates: []ztls.Certificate{{Certificate: c.Certificate, PrivateKey: c.PrivateKey}},
				MinVersion:   ztls.VersionTLS12,
				MaxVersion:   ztls.VersionTLS12,
				CipherSuites: []uint16{
					ztls.TLS_ECDHE_ECDSA_WITH_RC4_128_SHA,
					ztls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
				},
				PreferServerCipherSuites: true,
			}
			env.ServePlainHTTP(ztls.NewListener(ln, cfg), Hello("weak-preferred"))
			return nil
		},
	}
}
