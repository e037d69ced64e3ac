package lab

import (
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// starvedListener fails its first accepts with EMFILE, as a listener does
// while the process has no descriptor free, then hands out a connection.
type starvedListener struct {
	fails  int
	conns  chan net.Conn
	closed chan struct{}
}

func (l *starvedListener) Accept() (net.Conn, error) {
	if l.fails > 0 {
		l.fails--
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	}
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, errors.New("listener closed")
	}
}

func (l *starvedListener) Close() error {
	select {
	case <-l.closed:
	default:
		close(l.closed)
	}
	return nil
}

func (l *starvedListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

// TestAcceptOutOfDescriptors: an endpoint whose accept fails for want of
// descriptors keeps serving once they are back, instead of going silent
// for the rest of the lab's life, and the lab records the failure so demo
// can blame the machine rather than the endpoint.
func TestAcceptOutOfDescriptors(t *testing.T) {
	ln := &starvedListener{fails: 3, conns: make(chan net.Conn, 1), closed: make(chan struct{})}
	served := make(chan struct{})
	l, err := Start(Options{Endpoints: []*Endpoint{{
		Name:   "starved",
		Listen: func(*Env, string) (net.Listener, error) { return ln, nil },
		Start: func(env *Env, ln net.Listener) error {
			env.Accept(ln, func(net.Conn) { close(served) })
			return nil
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	client, server := net.Pipe()
	defer client.Close()
	ln.conns <- server
	select {
	case <-served:
	case <-time.After(time.Minute):
		t.Fatal("no connection served a minute after the descriptors came back: the accept loop gave up")
	}
	if err := l.Env.ResourceErr(); !errors.Is(err, syscall.EMFILE) {
		t.Errorf("ResourceErr() = %v, want EMFILE", err)
	}
}
