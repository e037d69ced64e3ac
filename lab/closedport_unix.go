//go:build unix

package lab

import (
	"fmt"
	"net/netip"
	"syscall"
)

// reserveClosedPort binds a TCP socket on host:port (port 0: any) without
// listening on it. Connections to it are refused, and because the port
// stays bound, no other program can start listening there while the lab
// runs.
func reserveClosedPort(host string, port int) (int, func(), error) {
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return 0, nil, fmt.Errorf("closed port: lab host %q is not an IP address", host)
	}
	family := syscall.AF_INET
	var sa syscall.Sockaddr = &syscall.SockaddrInet4{Addr: addr.Unmap().As4(), Port: port}
	if addr.Is6() && !addr.Is4In6() {
		family = syscall.AF_INET6
		sa = &syscall.SockaddrInet6{Addr: addr.As16(), Port: port}
	}
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM, 0)
	if err != nil {
		return 0, nil, fmt.Errorf("closed port: %w", err)
	}
	syscall.CloseOnExec(fd)
	if err := syscall.Bind(fd, sa); err != nil {
		syscall.Close(fd)
		return 0, nil, fmt.Errorf("closed port: bind %s: %w", host, err)
	}
	got, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		return 0, nil, fmt.Errorf("closed port: %w", err)
	}
	switch a := got.(type) {
	case *syscall.SockaddrInet4:
		port = a.Port
	case *syscall.SockaddrInet6:
		port = a.Port
	}
	return port, func() { syscall.Close(fd) }, nil
}
