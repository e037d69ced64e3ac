//go:build !unix

package lab

import (
	"net"
	"net/netip"
	"strconv"
)

// reserveClosedPort finds a free port by listening and closing again.
// Without Unix sockets' bind-without-listen the port is not held, so
// another program could take it meanwhile; the lab accepts that race where
// it cannot avoid it.
func reserveClosedPort(host string, port int) (int, func(), error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return 0, nil, err
	}
	ap, err := netip.ParseAddrPort(ln.Addr().String())
	ln.Close()
	if err != nil {
		return 0, nil, err
	}
	return int(ap.Port()), func() {}, nil
}
