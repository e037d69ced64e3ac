package netx

import (
	"context"
	"net"
	"time"
)

// An Upgrade turns a fresh connection into one ready for a TLS
// ClientHello: the plaintext exchange of a protocol that starts in the
// clear (SMTP, IMAP and others with STARTTLS). It runs within the
// connection's deadline.
type Upgrade func(ctx context.Context, c net.Conn) error

// Upgrading returns a Dialer whose connections have been through up; an
// error of up closes the connection and is classified as a handshake
// failure.
func Upgrading(d Dialer, up Upgrade) Dialer { return upgrading{d, up} }

type upgrading struct {
	d  Dialer
	up Upgrade
}

func (u upgrading) Dial(ctx context.Context, addr string, timeout time.Duration) (net.Conn, time.Duration, *ScanError) {
	c, connect, se := u.d.Dial(ctx, addr, timeout)
	if se != nil {
		return nil, 0, se
	}
	if err := u.up(ctx, c); err != nil {
		c.Close()
		return nil, 0, Classify(ctx, PhaseHandshake, err)
	}
	return c, connect, nil
}
