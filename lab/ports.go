package lab

import (
	"net"
	"net/netip"
	"strconv"
	"sync"
)

// ports hands out the lab's ports beyond one per endpoint: the plain-HTTP
// listeners some endpoints run next to their TLS port, and one closed
// port that every other endpoint names as its http_port, so that the
// plain-HTTP probe deterministically finds nothing there (and never
// touches port 80 of the machine running the tests).
//
// With Options.BasePort they follow the endpoints' own ports (BasePort +
// number of endpoints, upwards), so a targets file for the lab stays valid
// across restarts; otherwise the system picks free ports.
type ports struct {
	mu     sync.Mutex
	host   string
	next   int // next fixed port; 0 picks free ports
	closed int
}

// startPorts reserves the closed port. endpoints is how many endpoints
// the lab starts, which fixed extra ports follow.
func (e *Env) startPorts(basePort, endpoints int) error {
	e.ports.host = e.Host
	if basePort != 0 {
		e.ports.next = basePort + endpoints
	}
	port, closer, err := reserveClosedPort(e.Host, e.ports.take())
	if err != nil {
		return err
	}
	e.OnClose(closer)
	e.ports.closed = port
	return nil
}

// take returns the next fixed port, or 0.
func (p *ports) take() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next == 0 {
		return 0
	}
	p.next++
	return p.next - 1
}

// ClosedPort is a port on the lab host where nothing listens (connections
// are refused).
func (e *Env) ClosedPort() int { return e.ports.closed }

// ListenCompanion opens a second listener for an endpoint (say its
// plain-HTTP port), closed with the lab.
func (e *Env) ListenCompanion() (net.Listener, int, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(e.Host, strconv.Itoa(e.ports.take())))
	if err != nil {
		return nil, 0, err
	}
	e.OnClose(func() { ln.Close() })
	ap, err := netip.ParseAddrPort(ln.Addr().String())
	if err != nil {
		ln.Close()
		return nil, 0, err
	}
	return ln, int(ap.Port()), nil
}

// listenClosed is an endpoint's Listen for "nothing listens here": the
// port is bound but never listened on, so connections are refused and no
// other listener of the lab (a companion on port 0, say) can be handed the
// same port while the lab runs, as could happen to a port that is merely
// closed again.
func listenClosed(_ *Env, addr string) (net.Listener, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return nil, err
	}
	port, release, err := reserveClosedPort(ap.Addr().String(), int(ap.Port()))
	if err != nil {
		return nil, err
	}
	return &closedListener{
		addr:    &net.TCPAddr{IP: ap.Addr().AsSlice(), Port: port},
		release: sync.OnceFunc(release),
		done:    make(chan struct{}),
	}, nil
}

// closedListener never accepts anything.
type closedListener struct {
	addr    net.Addr
	release func()
	once    sync.Once
	done    chan struct{}
}

func (l *closedListener) Accept() (net.Conn, error) {
	<-l.done
	return nil, net.ErrClosed
}

func (l *closedListener) Close() error {
	l.once.Do(func() { close(l.done) })
	l.release()
	return nil
}

func (l *closedListener) Addr() net.Addr { return l.addr }
