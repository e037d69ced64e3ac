package lab

import (
	"crypto/tls"
	"encoding/hex"
	"net"
	"strings"
	"sync"

	"github.com/tlsaudit/tlsaudit/internal/tls13rec"
)

// earlyDataEndpoints fire early-data-accepted. crypto/tls servers never
// offer 0-RTT over TCP, so the endpoint is a crypto/tls server whose
// connections rewrite the NewSessionTickets it sends: with the server's
// application traffic secret (its KeyLogWriter), each ticket is
// unprotected, given an early_data extension allowing 16384 bytes (nginx's
// ssl_early_data size) and protected again. A client sees what an
// OpenSSL server with early data on sends; resuming with early data would
// fail, as the server behind does not take it, which no check tries.
func earlyDataEndpoints() []*Endpoint {
	return []*Endpoint{{
		Name: "early-data",
		Doc:  "TLS 1.2-1.3; its TLS 1.3 session tickets allow 16384 bytes of 0-RTT early data (tickets rewritten on the wire)",
		Want: []string{"early-data-accepted"},
		Start: func(env *Env, ln net.Listener) error {
			cert, err := leaf(CertSpec{})(env, env.ServerName("early-data"))
			if err != nil {
				return err
			}
			tl := &ticketListener{Listener: ln, conns: map[string]*ticketConn{}}
			env.ServeHTTPS(tl, &tls.Config{Certificates: []tls.Certificate{cert}, KeyLogWriter: tl}, Hello("early-data"))
			return nil
		},
	}}
}

// helloRandomEnd is where the client random ends in a ClientHello:
// record header (5), handshake header (4), version (2), random (32).
const helloRandomEnd = 11 + 32

// earlyDataMax is what the rewritten tickets allow.
const earlyDataMax = 16384

// ticketListener hands out ticketConns and, as the server's KeyLogWriter,
// gives each the application traffic secret of its own handshake, found
// by the client random its ClientHello carried.
type ticketListener struct {
	net.Listener
	mu    sync.Mutex
	conns map[string]*ticketConn
}

func (l *ticketListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &ticketConn{Conn: c, l: l}, nil
}

// Write takes key log lines.
func (l *ticketListener) Write(b []byte) (int, error) {
	f := strings.Fields(string(b))
	if len(f) != 3 || f[0] != "SERVER_TRAFFIC_SECRET_0" {
		return len(b), nil
	}
	secret, err := hex.DecodeString(f[2])
	if err != nil {
		return len(b), nil
	}
	l.mu.Lock()
	c := l.conns[f[1]]
	delete(l.conns, f[1])
	l.mu.Unlock()
	if c != nil {
		c.setSecret(secret)
	}
	return len(b), nil
}

// ticketConn is one server connection whose outgoing tickets it rewrites.
type ticketConn struct {
	net.Conn
	l *ticketListener

	hello []byte // the first bytes the client sent, up to its random

	mu sync.Mutex
	// pairs are (open, seal) protectors for each suite the secret's length
	// allows; the first record one opens picks it.
	pairs   [][2]*tls13rec.Protector
	chosen  int
	pending []byte
}

func (c *ticketConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if len(c.hello) < helloRandomEnd {
		c.hello = append(c.hello, b[:min(n, helloRandomEnd-len(c.hello))]...)
		if len(c.hello) == helloRandomEnd {
			c.l.mu.Lock()
			c.l.conns[hex.EncodeToString(c.hello[11:])] = c
			c.l.mu.Unlock()
		}
	}
	return n, err
}

func (c *ticketConn) Close() error {
	if len(c.hello) == helloRandomEnd {
		c.l.mu.Lock()
		delete(c.l.conns, hex.EncodeToString(c.hello[11:]))
		c.l.mu.Unlock()
	}
	return c.Conn.Close()
}

func (c *ticketConn) setSecret(secret []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.chosen = -1
	for _, s := range []uint16{0x1301, 0x1302, 0x1303} {
		open, err1 := tls13rec.NewProtector(s, secret)
		seal, err2 := tls13rec.NewProtector(s, secret)
		if err1 == nil && err2 == nil && (len(secret) == 48) == (s == 0x1302) {
			c.pairs = append(c.pairs, [2]*tls13rec.Protector{open, seal})
		}
	}
}

func (c *ticketConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	if c.pairs == nil {
		c.mu.Unlock()
		return c.Conn.Write(b)
	}
	c.pending = append(c.pending, b...)
	var out []byte
	for len(c.pending) >= 5 {
		n := int(c.pending[3])<<8 | int(c.pending[4])
		if len(c.pending) < 5+n {
			break
		}
		rec := c.pending[:5+n]
		c.pending = c.pending[5+n:]
		out = append(out, c.rewrite(rec)...)
	}
	c.mu.Unlock()
	if _, err := c.Conn.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}

// rewrite returns rec, or its tickets with early_data, protected again.
// Records the application key does not open (the server's handshake
// flight) pass unchanged.
func (c *ticketConn) rewrite(rec []byte) []byte {
	if rec[0] != tls13rec.TypeApplicationData {
		return rec
	}
	for i, p := range c.pairs {
		if c.chosen >= 0 && i != c.chosen {
			continue
		}
		typ, content, err := p[0].Open(rec)
		if err != nil {
			continue
		}
		c.chosen = i
		if typ == tls13rec.TypeHandshake {
			var msgs []byte
			for _, m := range tls13rec.Messages(content) {
				msgs = append(msgs, tls13rec.WithEarlyData(m, earlyDataMax)...)
			}
			content = msgs
		}
		return p[1].Seal(typ, content)
	}
	return rec
}
