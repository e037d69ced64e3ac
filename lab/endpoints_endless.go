package lab

import (
	"crypto/tls"
	"net"
	"strings"
	"time"
)

// endlessEndpoints complete the TLS handshake and then never finish their
// HTTP response: the HTTP probe must stop reading on its own bounds (64
// KiB of headers, 256 bytes of body kept) or at the deadline, never
// buffer what the server keeps sending.
func endlessEndpoints() []*Endpoint {
	return []*Endpoint{
		{
			Name: "endless-header",
			Doc:  "answers HTTPS with a status line, then headers that never end (a megabyte a second)",
			// The probe stops at 64 KiB of headers: the HSTS checks have
			// no answer to judge and say so.
			WantUndecided: []string{"hsts-missing", "hsts-short-max-age", "hsts-malformed"},
			Start: func(env *Env, ln net.Listener) error {
				return serveRaw(env, ln, "endless-header", func(c net.Conn) {
					if _, err := c.Write([]byte("HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=63072000; includeSubDomains\r\n")); err != nil {
						return
					}
					line := []byte("X-Padding: " + strings.Repeat("a", 1000) + "\r\n")
					stream(env, c, line)
				})
			},
		},
		{
			Name: "endless-body",
			Doc:  "answers HTTPS with good headers (HSTS) and a body that never ends",
			Start: func(env *Env, ln net.Listener) error {
				return serveRaw(env, ln, "endless-body", func(c net.Conn) {
					if _, err := c.Write([]byte("HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=63072000; includeSubDomains\r\nContent-Type: text/plain\r\n\r\n")); err != nil {
						return
					}
					stream(env, c, []byte(strings.Repeat("tlsaudit lab endless body ", 40)+"\n"))
				})
			},
		},
	}
}

// serveRaw serves TLS with a good lab certificate for name and hands each
// connection, once it has read the request's first bytes, to answer.
func serveRaw(env *Env, ln net.Listener, name string, answer func(net.Conn)) error {
	return serveTLS(env, ln, name, func(c net.Conn) {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		buf := make([]byte, 4096)
		if _, err := c.Read(buf); err != nil { // the request (or a handshake-only probe's hang-up)
			return
		}
		answer(c)
	})
}

// serveTLS accepts TLS connections on ln with the good lab chain for the
// endpoint name and hands each, after the handshake, to handle.
func serveTLS(env *Env, ln net.Listener, name string, handle func(net.Conn)) error {
	cert, err := leaf(CertSpec{})(env, env.ServerName(name))
	if err != nil {
		return err
	}
	env.Accept(tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}}), handle)
	return nil
}

// stream writes chunk over and over, about a megabyte a second, until the
// peer stops reading or the lab closes.
func stream(env *Env, c net.Conn, chunk []byte) {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Write(chunk); err != nil {
			return
		}
		select {
		case <-tick.C:
		case <-env.Done():
			return
		}
	}
}
