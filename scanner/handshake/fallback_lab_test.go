package handshake_test

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// countingDialer counts the connections a handshake opens.
type countingDialer struct {
	netx.Dialer
	n atomic.Int32
}

func (d *countingDialer) Dial(ctx context.Context, addr string, timeout time.Duration) (net.Conn, time.Duration, *netx.ScanError) {
	d.n.Add(1)
	return d.Dialer.Dial(ctx, addr, timeout)
}

// TestFallbackClients checks which client completes the shared handshake
// with servers crypto/tls's defaults cannot reach, and at what cost in
// connections: servers that refuse the default hello but speak a suite
// crypto/tls implements (static RSA, 3DES) are reached by crypto/tls on
// the second connection, not by zcrypto; a chain crypto/x509 cannot parse
// goes straight to zcrypto; a host neither reaches costs three.
func TestFallbackClients(t *testing.T) {
	l, err := lab.Start(lab.Options{Only: []string{"good", "static-rsa-only", "3des-only", "malformed-cert", "dh-1024"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	for _, c := range []struct {
		endpoint   string
		client     string // "" when the handshake fails
		legacyOnly bool
		conns      int32
	}{
		{"good", "crypto/tls", false, 1},
		{"static-rsa-only", "crypto/tls", true, 2},
		{"3des-only", "crypto/tls", true, 2},
		{"malformed-cert", "zcrypto", true, 2},
		{"dh-1024", "", false, 3},
	} {
		t.Run(c.endpoint, func(t *testing.T) {
			ep := l.Endpoint(c.endpoint)
			tg := ep.Target()
			d := &countingDialer{Dialer: netx.NewSockets(4, l.Resolver())}
			h, se := handshake.Run(context.Background(), d, handshake.Config{ServerName: tg.SNI(), Timeout: scanner.DefaultConnectTimeout}, ep.Addr.String())
			if got := d.n.Load(); got != c.conns {
				t.Errorf("%d connections, want %d", got, c.conns)
			}
			if c.client == "" {
				if se == nil || se.Kind != netx.KindHandshake {
					t.Fatalf("error %v, want %s", se, netx.KindHandshake)
				}
				return
			}
			if se != nil {
				t.Fatal(se)
			}
			if h.Client != c.client || h.LegacyOnly != c.legacyOnly {
				t.Errorf("client %s, legacy only %v; want %s, %v", h.Client, h.LegacyOnly, c.client, c.legacyOnly)
			}
			if c.legacyOnly && h.ModernError == "" {
				t.Error("no modern client error")
			}
			if len(h.RawChain) == 0 {
				t.Error("no chain")
			}
		})
	}
}
