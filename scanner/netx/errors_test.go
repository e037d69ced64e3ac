package netx

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
)

func TestClassify(t *testing.T) {
	bg := context.Background()
	canceled, cancel := context.WithCancelCause(bg)
	cancel(ErrInterrupted)
	cases := []struct {
		ctx  context.Context
		ph   Phase
		err  error
		want ErrorKind
	}{
		{bg, PhaseDial, &net.DNSError{Err: "no such host", Name: "x.test", IsNotFound: true}, KindDNS},
		{bg, PhaseDial, &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, KindRefused},
		{bg, PhaseDial, os.ErrDeadlineExceeded, KindConnectTimeout},
		{bg, PhaseHandshake, os.ErrDeadlineExceeded, KindHandshakeTimeout},
		{bg, PhaseHandshake, fmt.Errorf("read: %w", syscall.ECONNRESET), KindReset},
		{bg, PhaseHandshake, io.EOF, KindClosed},
		{bg, PhaseHandshake, tls.RecordHeaderError{RecordHeader: [5]byte{'H', 'T', 'T', 'P', '/'}}, KindNotTLS},
		{bg, PhaseHandshake, tls.RecordHeaderError{RecordHeader: [5]byte{0, 1, 2, 3, 4}}, KindProtocol},
		{bg, PhaseHandshake, errors.New("tls: server selected unsupported protocol version 300"), KindHandshake},
		{bg, PhaseDial, &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}, KindUnreachable},
		{canceled, PhaseHandshake, io.EOF, KindCanceled},
		{bg, PhaseHandshake, errors.New("tls: handshake message of length 2466123 bytes exceeds maximum of 262144 bytes"), KindTooLarge},
	}
	for _, c := range cases {
		if got := Classify(c.ctx, c.ph, c.err); got.Kind != c.want {
			t.Errorf("Classify(%v) = %s (%v), want %s", c.err, got.Kind, got.Err, c.want)
		}
	}
}

// TestClassifyServerAlert classifies the alert a real server sends, as
// both clients receive it: crypto/tls and zcrypto wrap it in a
// *net.OpError ("remote error: tls: ..."), not in tls.AlertError.
func TestClassifyServerAlert(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			// TLS 1.3 only: a client offering at most TLS 1.2 gets a
			// protocol_version alert.
			srv := tls.Server(c, &tls.Config{MinVersion: tls.VersionTLS13})
			_ = srv.Handshake()
			c.Close()
		}
	}()
	const want = `server sent TLS alert "protocol version not supported"`
	clients := map[string]func(net.Conn) error{
		"crypto/tls": func(c net.Conn) error {
			return tls.Client(c, &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12}).Handshake()
		},
	}
	addLegacyClient(clients)
	for name, handshake := range clients {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		herr := handshake(c)
		c.Close()
		if herr == nil {
			t.Fatalf("%s: handshake succeeded", name)
		}
		got := Classify(context.Background(), PhaseHandshake, herr)
		if got.Kind != KindHandshake || got.Message() != want {
			t.Errorf("%s: Classify(%q) = %s %q, want %s %q", name, herr, got.Kind, got.Message(), KindHandshake, want)
		}
	}
}
