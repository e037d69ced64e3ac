//go:build !nozcrypto && !windows && !(darwin && arm64 && !cgo)

package httpprobe_test

import (
	"crypto/rand"
	"crypto/rsa"
	"math/big"
	"net"
	"testing"

	zrsa "github.com/zmap/zcrypto/rsa"
	ztls "github.com/zmap/zcrypto/tls"

	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// TestHTTPSProbeOnDHEOnlyServer: a server that speaks only DHE suites
// (which crypto/tls lacks) completes the shared handshake through the
// zcrypto fallback; the HTTPS probe, which connects the same way, must
// complete too, so the HTTP checks judge its headers rather than fail.
func TestHTTPSProbeOnDHEOnlyServer(t *testing.T) {
	const name = "dhe-only"
	l := startHTTPLab(t, lab.Options{Endpoints: []*lab.Endpoint{{
		Name: name,
		Start: func(env *lab.Env, ln net.Listener) error {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				return err
			}
			c, err := env.PKI.Issue(lab.CertSpec{CN: env.ServerName(name), Names: []string{env.ServerName(name)}, Issuer: env.PKI.Inter, Key: k})
			if err != nil {
				return err
			}
			// zcrypto's server signs key exchanges only with its own RSA type.
			zk := &zrsa.PrivateKey{PublicKey: zrsa.PublicKey{N: k.N, E: big.NewInt(int64(k.E))}, D: k.D, Primes: k.Primes}
			env.ServePlainHTTP(ztls.NewListener(ln, &ztls.Config{
				Certificates: []ztls.Certificate{{Certificate: c.Chain(env.PKI.Inter).Certificate, PrivateKey: zk}},
				MinVersion:   ztls.VersionTLS12,
				MaxVersion:   ztls.VersionTLS12,
				CipherSuites: []uint16{ztls.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256},
			}), lab.Hello(name))
			return nil
		},
	}}})
	r := scanHTTP(t, l, scanner.Options{}, l.Endpoint(name).Target())
	if r.Err != nil || r.Handshake == nil || !r.Handshake.LegacyOnly {
		t.Fatalf("shared handshake: error %v, handshake %+v; want a zcrypto-only handshake", r.Err, r.Handshake)
	}
	if r.HTTP == nil || r.HTTP.HTTPS == nil || !r.HTTP.HTTPS.Answered() {
		t.Fatalf("HTTPS probe did not get an answer: %+v", r.HTTP.HTTPS.Exchange)
	}
	if !r.HTTP.HTTPS.CertVerified || r.HTTP.HTTPS.HSTS == nil {
		t.Errorf("HTTPS probe: verified %v (%s), HSTS %v", r.HTTP.HTTPS.CertVerified, r.HTTP.HTTPS.CertError, r.HTTP.HTTPS.HSTS)
	}
	if len(r.CheckErrors) > 0 {
		t.Errorf("checks could not decide: %v", r.CheckErrors)
	}
}
