//go:build linux

package lab

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"syscall"
)

const blackholeSupported = true

// listenBlackhole makes a listener whose SYNs go unanswered: a socket
// listening with a backlog of zero whose one queue slot the lab fills
// itself and never accepts. Linux then drops further SYNs (with the default
// tcp_abort_on_overflow=0), which is what a firewall that drops packets
// looks like to a client, without leaving loopback.
func listenBlackhole(env *Env, addr string) (net.Listener, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().Is4() {
		return nil, fmt.Errorf("blackhole needs an IPv4 address, got %q", addr)
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	_ = syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: ap.Addr().As4(), Port: int(ap.Port())}); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	if err := syscall.Listen(fd, 0); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	f := os.NewFile(uintptr(fd), "blackhole")
	ln, err := net.FileListener(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	filler, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		ln.Close()
		return nil, err
	}
	env.OnClose(func() { filler.Close() })
	return ln, nil
}
