package scanner

import (
	"context"
	"crypto/tls"
	"testing"
	"time"
)

// BenchmarkHandshakeClients measures the two clients the shared handshake
// can use against the same loopback ECDSA server, side by side: the reason
// crypto/tls carries the main handshake and zcrypto only the fallback.
// Server work is included (same process, same cores), so the ratio
// understates the client-side difference.
func BenchmarkHandshakeClients(b *testing.B) {
	n := mk(b, "bench.test", nil, false, false, now.Add(24*time.Hour))
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{
		Certificate: [][]byte{n.cert.Raw}, PrivateKey: n.key, Leaf: n.cert}}})
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				_ = c.(*tls.Conn).Handshake()
				c.Close()
			}()
		}
	}()
	s := New(Options{Concurrency: 8})
	tg := &Target{Host: "127.0.0.1", ServerName: "bench.test", ConnectTimeout: 5 * time.Second}
	addr := ln.Addr().String()
	for _, c := range []struct {
		name string
		hs   func(context.Context, *Target, string) (*Handshake, *ScanError)
	}{{"crypto-tls", s.handshakeModern}, {"zcrypto", s.handshakeLegacy}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.hs(context.Background(), tg, addr); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
