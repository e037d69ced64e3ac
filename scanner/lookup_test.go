package scanner

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
)

// TestLookupHost: an IP literal is its own address, with no lookup; a
// failed lookup is a classified DNS error, for targets and OCSP
// responders alike.
func TestLookupHost(t *testing.T) {
	asked := false
	s := New(Options{Resolver: &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		asked = true
		return nil, errors.New("no nameserver in this test")
	}}})
	addrs, se := s.lookupHost(context.Background(), "::1")
	if se != nil || len(addrs) != 1 || addrs[0] != netip.IPv6Loopback() || asked {
		t.Errorf("literal: %v, %v (resolver asked: %v)", addrs, se, asked)
	}
	if _, se := s.lookupHost(context.Background(), "ocsp.example.test"); se == nil || se.Kind != KindDNS {
		t.Errorf("failed lookup: %v, want a %s error", se, KindDNS)
	}
	_, err := s.dialName(context.Background(), &Target{}, "ocsp.example.test:80")
	if got := (*ScanError)(nil); !errors.As(err, &got) || got.Kind != KindDNS {
		t.Errorf("dialName: %v, want a %s error", err, KindDNS)
	}
}
