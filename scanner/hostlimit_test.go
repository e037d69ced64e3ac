package scanner

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// TestHostLimitAppliesToDaemonsNotWebServers: connections to the TLS port
// of a target of a protocol other than https share the per-address
// limit (a third one to the same address waits, here until its deadline),
// while https targets are not limited.
func TestHostLimitAppliesToDaemonsNotWebServers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	s := New(Options{HostConnections: 2})
	for _, c := range []struct {
		proto   Protocol
		limited bool
	}{{"tls", true}, {"imaps", true}, {"smtp", true}, {ProtocolHTTPS, false}} {
		tg := &Target{Host: "127.0.0.1"}
		tg.HTTP.Protocol = c.proto
		pd := s.portDialer(tg)
		// Hold two connections through the dialer's inner sockets (the
		// upgrade is not what is tested), then ask for a third.
		var held []net.Conn
		for range 2 {
			conn, _, serr := pd.d.Dial(context.Background(), addr, 5*time.Second)
			if serr != nil {
				t.Fatalf("%s: %v", c.proto, serr)
			}
			held = append(held, conn)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		conn, _, serr := pd.d.Dial(ctx, addr, 5*time.Second)
		cancel()
		if c.limited && (serr == nil || serr.Kind != netx.KindDeadline) {
			t.Errorf("%s: a third connection to the address: %v, want it to wait until the deadline", c.proto, serr)
		}
		if !c.limited && serr != nil {
			t.Errorf("%s: a third connection to the address: %v, want no limit", c.proto, serr)
		}
		if conn != nil {
			conn.Close()
		}
		for _, h := range held {
			h.Close()
		}
	}
}
