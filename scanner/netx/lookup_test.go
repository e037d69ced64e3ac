package netx

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

// TestLookupHost: an IP literal is its own address, with no lookup; a
// failed lookup is a classified DNS error, for targets and OCSP
// responders alike.
func TestLookupHost(t *testing.T) {
	asked := false
	s := NewSockets(1, &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		asked = true
		return nil, errors.New("no nameserver in this test")
	}})
	addrs, se := s.LookupHost(context.Background(), "::1")
	if se != nil || len(addrs) != 1 || addrs[0] != netip.IPv6Loopback() || asked {
		t.Errorf("literal: %v, %v (resolver asked: %v)", addrs, se, asked)
	}
	if _, se := s.LookupHost(context.Background(), "ocsp.example.test"); se == nil || se.Kind != KindDNS {
		t.Errorf("failed lookup: %v, want a %s error", se, KindDNS)
	}
	_, err := s.DialName(context.Background(), "ocsp.example.test:80", time.Second)
	if got := (*ScanError)(nil); !errors.As(err, &got) || got.Kind != KindDNS {
		t.Errorf("DialName: %v, want a %s error", err, KindDNS)
	}
}
