//go:build !nozcrypto && !windows && !(darwin && arm64 && !cgo)

package handshake

import (
	"context"
	"crypto/tls"
	"net"
	"testing"
	"time"

	ztls "github.com/zmap/zcrypto/tls"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// BenchmarkHandshakeClients measures, against one loopback ECDSA server
// and side by side, the handshakes the scanner makes (scanner-modern:
// crypto/tls as the shared handshake sends it, TLS 1.3 with Go's default
// hybrid post-quantum key share; scanner-legacy: the zcrypto fallback)
// and the two libraries like for like (TLS 1.2, X25519), which is the
// comparison behind the choice of crypto/tls for the main handshake.
// tls13-x25519 shows what the post-quantum key share costs. Server work is
// included (same process, same cores), so the ratios understate the
// client-side differences.
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
	d := netx.NewSockets(8, nil)
	cfg := Config{ServerName: "bench.test", Timeout: 5 * time.Second}
	addr := ln.Addr().String()
	scanner := func(hs func(context.Context, netx.Dialer, Config, string) (*Handshake, *netx.ScanError)) func() error {
		return func() error {
			if _, err := hs(context.Background(), d, cfg, addr); err != nil {
				return err
			}
			return nil
		}
	}
	raw := func(handshake func(net.Conn) error) func() error {
		return func() error {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				return err
			}
			defer c.Close()
			return handshake(c)
		}
	}
	std := func(cfg *tls.Config) func() error {
		return raw(func(c net.Conn) error { return tls.Client(c, cfg).Handshake() })
	}
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"scanner-modern", scanner(func(ctx context.Context, d netx.Dialer, cfg Config, addr string) (*Handshake, *netx.ScanError) {
			h, se, _ := handshakeModern(ctx, d, cfg, addr)
			return h, se
		})},
		{"scanner-legacy", scanner(handshakeLegacy)},
		{"crypto-tls-tls12-x25519", std(&tls.Config{InsecureSkipVerify: true, ServerName: "bench.test",
			MaxVersion: tls.VersionTLS12, CurvePreferences: []tls.CurveID{tls.X25519}})},
		{"zcrypto-tls12-x25519", raw(func(c net.Conn) error {
			return ztls.Client(c, &ztls.Config{InsecureSkipVerify: true, ServerName: "bench.test",
				MaxVersion: ztls.VersionTLS12, CurvePreferences: []ztls.CurveID{ztls.X25519}}).Handshake()
		})},
		{"crypto-tls-tls13-x25519", std(&tls.Config{InsecureSkipVerify: true, ServerName: "bench.test",
			CurvePreferences: []tls.CurveID{tls.X25519}})},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := c.run(); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
