package netx

import (
	"context"
	"io"
	"net"
	"testing"
	"time"
)

// pipeDialer hands out one end of a pipe whose other end greets first,
// as an SMTP server does.
type pipeDialer struct{ greeting string }

func (p pipeDialer) Dial(context.Context, string, time.Duration) (net.Conn, time.Duration, *ScanError) {
	client, server := net.Pipe()
	go func() {
		_, _ = server.Write([]byte(p.greeting))
		server.Close()
	}()
	return client, 0, nil
}

// TestUpgrading: every connection of an upgrading Dialer has been through
// the upgrade before the caller gets it, and a failed upgrade is a
// classified error.
func TestUpgrading(t *testing.T) {
	var read string
	readGreeting := func(_ context.Context, c net.Conn) error {
		b := make([]byte, 11)
		_, err := io.ReadFull(c, b)
		read = string(b)
		return err
	}
	c, _, se := Upgrading(pipeDialer{"220 ready\r\n"}, readGreeting).Dial(context.Background(), "mail.test:25", time.Minute)
	if se != nil {
		t.Fatal(se)
	}
	c.Close()
	if read != "220 ready\r\n" {
		t.Errorf("upgrade read %q", read)
	}
	if _, _, se := Upgrading(pipeDialer{"220"}, readGreeting).Dial(context.Background(), "mail.test:25", time.Minute); se == nil || se.Kind != KindClosed {
		t.Errorf("failed upgrade: %v, want kind %s", se, KindClosed)
	}
}
