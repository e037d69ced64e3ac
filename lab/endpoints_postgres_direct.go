package lab

import (
	"bufio"
	"crypto/tls"
	"errors"
	"net"
	"slices"
	"time"
)

// postgresDirectEndpoint is PostgreSQL 17 with direct TLS: a connection
// whose first byte is a TLS record starts TLS at once and must offer ALPN
// "postgresql" (the server refuses it otherwise, so that a TLS connection
// meant for another service on the port is never taken for PostgreSQL);
// any other connection gets the SSLRequest exchange as before. Behind TLS,
// pgproto3 answers as the backend.
func postgresDirectEndpoint() *Endpoint {
	const name = "postgres-direct"
	return &Endpoint{
		Name: name,
		Doc:  "PostgreSQL 17 direct TLS (pgproto3 behind crypto/tls): TLS at once, refused without ALPN postgresql",
		Start: func(env *Env, ln net.Listener) error {
			cfg, err := serverTLS(env, name, CertSpec{}, goTLS{})
			if err != nil {
				return err
			}
			cfg.NextProtos = []string{"postgresql"}
			cfg.GetConfigForClient = func(h *tls.ClientHelloInfo) (*tls.Config, error) {
				if !slices.Contains(h.SupportedProtos, "postgresql") {
					return nil, errors.New("direct TLS without ALPN postgresql")
				}
				return nil, nil
			}
			env.Accept(ln, func(c net.Conn) { servePostgresDirect(c, cfg) })
			return nil
		},
		Target: protocolTarget("postgres-direct"),
	}
}

// servePostgresDirect tells a direct TLS connection (a handshake record,
// 0x16, first) from a startup packet, as PostgreSQL 17 does.
func servePostgresDirect(c net.Conn, cfg *tls.Config) {
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	first, err := r.Peek(1)
	if err != nil {
		c.Close()
		return
	}
	bc := bufferedConn{Conn: c, r: r}
	if first[0] != 0x16 {
		// ALPN is not required after an SSLRequest.
		sslRequestCfg := cfg.Clone()
		sslRequestCfg.GetConfigForClient = nil
		servePostgres(bc, sslRequestCfg)
		return
	}
	tc := tls.Server(bc, cfg)
	defer tc.Close()
	if tc.Handshake() != nil {
		return
	}
	// Inside the tunnel the startup packet follows; an SSLRequest there
	// is answered N, as the server does.
	servePostgres(tc, nil)
}
