package lab

import (
	"crypto/tls"
	"net"
)

// drownEndpoints fire drown-shared-key: ordinary crypto/tls servers (no
// SSLv2, TLS 1.2-1.3) whose certificates carry the `ssl2` endpoint's RSA
// key, as a web server and a mail server of one organisation may share a
// key with an old SSLv2 box. They come after `ssl2` in the endpoint list:
// the check looks among the targets of the same scan, and the lab's scans
// register targets in this order (see scanner.sslv2Keys).
func drownEndpoints() []*Endpoint {
	shared := func(name string) *Endpoint {
		return &Endpoint{
			Name:        name,
			Doc:         "TLS 1.2-1.3, no SSLv2; its certificate has the ssl2 endpoint's RSA key (DROWN across servers)",
			Want:        []string{"drown-shared-key"},
			CrossTarget: true,
			Start: func(env *Env, ln net.Listener) error {
				k, err := ssl2Key()
				if err != nil {
					return err
				}
				cert, err := leaf(CertSpec{Key: k})(env, env.ServerName(name))
				if err != nil {
					return err
				}
				env.ServeHTTPS(ln, &tls.Config{Certificates: []tls.Certificate{cert}}, Hello(name))
				return nil
			},
		}
	}
	return []*Endpoint{shared("drown-shared-key"), shared("drown-shared-key-2")}
}
