package lab

import (
	"io"
	"net"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// hostileEndpoints misbehave below TLS: each must end as one result with
// its own error kind, within its deadline.
func hostileEndpoints() []*Endpoint {
	eps := []*Endpoint{
		{
			Name:      "refused",
			Doc:       "nothing listens on the port",
			WantError: netx.KindRefused,
			Listen:    listenClosed,
			Start:     func(*Env, net.Listener) error { return nil },
		},
		{
			Name:      "tarpit",
			Doc:       "accepts the connection and never says a word",
			WantError: netx.KindHandshakeTimeout,
			Start:     acceptRaw(func(_ *Env, c net.Conn) { _, _ = io.Copy(io.Discard, c) }),
			Target:    shortTimeout,
		},
		{
			Name:      "close-after-hello",
			Doc:       "reads the ClientHello and closes without a word, as some servers do on a hello they dislike",
			WantError: netx.KindClosed,
			// Read the whole hello first: closing with unread data would
			// make the kernel send RST, which is "reset".
			Start: acceptRaw(func(_ *Env, c net.Conn) { _ = readRecord(c) }),
		},
		{
			Name:      "reset",
			Doc:       "reads the ClientHello, then resets the connection",
			WantError: netx.KindReset,
			Start: acceptRaw(func(_ *Env, c net.Conn) {
				_ = readRecord(c)
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // close with RST, not FIN
				}
			}),
		},
		{
			Name:      "garbage",
			Doc:       "answers the ClientHello with bytes that are not TLS",
			WantError: netx.KindProtocol,
			Start: acceptRaw(func(_ *Env, c net.Conn) {
				_, _ = c.Write([]byte("\x00\x01garbage, not a TLS record\r\n"))
			}),
		},
		{
			Name:      "slow-drip",
			Doc:       "reads the ClientHello, then answers one byte a second, forever",
			WantError: netx.KindHandshakeTimeout,
			Start: acceptRaw(func(env *Env, c net.Conn) {
				if readRecord(c) != nil {
					return
				}
				drip(env, c, dripBytes)
			}),
			Target: shortTimeout,
		},
		{
			Name:      "http-on-tls-port",
			Doc:       "a plain-HTTP server on the port scanned for TLS (a misrouted load balancer)",
			WantError: netx.KindNotTLS,
			Start: func(env *Env, ln net.Listener) error {
				env.ServePlainHTTP(ln, Hello("http-on-tls-port"))
				return nil
			},
			// Declared a non-HTTP TLS service, so only the error shows;
			// tls-port-speaks-http is the same server scanned as HTTPS.
			Target: func(_ *Env, t *scanner.Target) { t.HTTP.Protocol = scanner.ProtocolTLS },
		},
	}
	eps = append(eps, oversizedEndpoints()...)
	eps = append(eps, endlessEndpoints()...)
	eps = append(eps, starttlsHostileEndpoints()...)
	if blackholeSupported {
		eps = append(eps, &Endpoint{
			Name:      "blackhole",
			Doc:       "the SYN is never answered (a listener whose accept queue is full)",
			WantError: netx.KindConnectTimeout,
			Listen:    listenBlackhole,
			Start:     func(*Env, net.Listener) error { return nil },
			Target:    shortTimeout,
		})
	}
	return eps
}

// acceptRaw is a Start that hands each connection, as TCP (no TLS), to
// handle.
func acceptRaw(handle func(env *Env, c net.Conn)) func(*Env, net.Listener) error {
	return func(env *Env, ln net.Listener) error {
		env.Accept(ln, func(c net.Conn) { handle(env, c) })
		return nil
	}
}

// closeListener frees the port again, so that nothing listens on it.
func closeListener(_ *Env, ln net.Listener) error { return ln.Close() }

// shortTimeout keeps endpoints that can only time out from slowing the
// lab's scans down.
func shortTimeout(_ *Env, t *scanner.Target) { t.ConnectTimeout = 2 * time.Second }

// dripBytes begin like a ServerHello record, so a client keeps waiting for
// the rest rather than giving up on a bad header.
var dripBytes = []byte("\x16\x03\x03\x00\x7a\x02\x00\x00\x76\x03\x03")

// drip writes p one byte a second, cycling, until the peer goes away or
// the lab closes.
func drip(env *Env, c net.Conn, p []byte) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for i := 0; ; i++ {
		if _, err := c.Write(p[i%len(p) : i%len(p)+1]); err != nil {
			return
		}
		select {
		case <-tick.C:
		case <-env.Done():
			return
		}
	}
}

// readRecord reads one TLS record (the ClientHello), within 5 seconds.
func readRecord(c net.Conn) error {
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	hdr := make([]byte, 5)
	if _, err := io.ReadFull(c, hdr); err != nil {
		return err
	}
	_, err := io.CopyN(io.Discard, c, int64(hdr[3])<<8|int64(hdr[4]))
	return err
}
