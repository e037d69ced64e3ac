package scanner

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
		ph   phase
		err  error
		want ErrorKind
	}{
		{bg, phaseDial, &net.DNSError{Err: "no such host", Name: "x.test", IsNotFound: true}, KindDNS},
		{bg, phaseDial, &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, KindRefused},
		{bg, phaseDial, os.ErrDeadlineExceeded, KindConnectTimeout},
		{bg, phaseHandshake, os.ErrDeadlineExceeded, KindHandshakeTimeout},
		{bg, phaseHandshake, fmt.Errorf("read: %w", syscall.ECONNRESET), KindReset},
		{bg, phaseHandshake, io.EOF, KindClosed},
		{bg, phaseHandshake, tls.RecordHeaderError{RecordHeader: [5]byte{'H', 'T', 'T', 'P', '/'}}, KindNotTLS},
		{bg, phaseHandshake, tls.RecordHeaderError{RecordHeader: [5]byte{0, 1, 2, 3, 4}}, KindProtocol},
		{bg, phaseHandshake, tls.AlertError(40), KindHandshake},
		{bg, phaseHandshake, errors.New("tls: server selected unsupported protocol version 300"), KindHandshake},
		{bg, phaseDial, &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}, KindUnreachable},
		{canceled, phaseHandshake, io.EOF, KindCanceled},
		{bg, phaseHandshake, errors.New("tls: handshake message of length 2466123 bytes exceeds maximum of 262144 bytes"), KindTooLarge},
	}
	for _, c := range cases {
		if got := classify(c.ctx, c.ph, c.err); got.Kind != c.want {
			t.Errorf("classify(%v) = %s (%v), want %s", c.err, got.Kind, got.Err, c.want)
		}
	}
}
