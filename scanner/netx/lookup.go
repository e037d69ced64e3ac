package netx

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"
)

// LookupHost returns host's addresses in the resolver's order: host itself
// when it is an IP literal, else what the resolver answers, with
// IPv4-mapped addresses unmapped so they are dialed as IPv4. Every name
// the scanner dials (targets, OCSP responders) is looked up here, so the
// lab's resolver answers for all of them and a failure is classified.
func (s *Sockets) LookupHost(ctx context.Context, host string) ([]netip.Addr, *ScanError) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	addrs, err := s.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, Classify(ctx, PhaseDial, err)
	}
	if len(addrs) == 0 {
		return nil, &ScanError{KindDNS, fmt.Errorf("%s has no addresses", host)}
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs, nil
}

// DialName dials host:port, resolving the host with LookupHost, within
// the socket budget.
func (s *Sockets) DialName(ctx context.Context, hostport string, timeout time.Duration) (net.Conn, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, err
	}
	ips, serr := s.LookupHost(ctx, host)
	if serr != nil {
		return nil, serr
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return nil, fmt.Errorf("bad port %q", port)
	}
	c, _, serr := s.Dial(ctx, netip.AddrPortFrom(ips[0], uint16(p)).String(), timeout)
	if serr != nil {
		return nil, serr
	}
	return c, nil
}
