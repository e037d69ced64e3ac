package lab

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// lateListener hands out one connection only once the lab is closing,
// as a real listener can between Close's sweep of open connections and
// the listener's own close.
type lateListener struct {
	env    *Env
	peer   net.Conn // the client side, kept open so the handler blocks
	once   sync.Once
	closed chan struct{}
}

func (l *lateListener) Accept() (net.Conn, error) {
	served := false
	var c net.Conn
	l.once.Do(func() {
		<-l.env.Done()
		c, l.peer = net.Pipe()
		served = true
	})
	if served {
		return c, nil
	}
	<-l.closed
	return nil, errors.New("listener closed")
}

func (l *lateListener) Close() error {
	select {
	case <-l.closed:
	default:
		close(l.closed)
	}
	return nil
}

func (l *lateListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

// TestCloseEndsConnectionsAcceptedWhileClosing: a tarpit connection
// accepted after Close swept the open connections must not keep Close
// waiting for its handler.
func TestCloseEndsConnectionsAcceptedWhileClosing(t *testing.T) {
	var late *lateListener
	l, err := Start(Options{Endpoints: []*Endpoint{{
		Name: "late",
		Listen: func(env *Env, _ string) (net.Listener, error) {
			late = &lateListener{env: env, closed: make(chan struct{})}
			return late, nil
		},
		Start: func(env *Env, ln net.Listener) error {
			env.Accept(ln, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
			return nil
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() {
		l.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(time.Minute):
		t.Fatal("Close still waiting after a minute for the handler of a connection accepted while closing")
	}
	if late.peer != nil {
		late.peer.Close()
	}
}
