package scanner

import (
	"context"
	"fmt"
	"net/netip"
)

// lookupHost returns host's addresses in the resolver's order: host itself
// when it is an IP literal, else what the scanner's resolver answers, with
// IPv4-mapped addresses unmapped so they are dialed as IPv4. Every name
// the scanner dials (targets, OCSP responders) is looked up here, so the
// lab's resolver answers for all of them and a failure is classified.
func (s *Scanner) lookupHost(ctx context.Context, host string) ([]netip.Addr, *ScanError) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	addrs, err := s.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, classify(ctx, phaseDial, err)
	}
	if len(addrs) == 0 {
		return nil, &ScanError{KindDNS, fmt.Errorf("%s has no addresses", host)}
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs, nil
}
