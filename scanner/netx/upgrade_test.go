package netx

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// TestUpgrading: every connection of an upgrading Dialer has been through
// the upgrade before the caller gets it, and a failed upgrade is a
// classified error with the connection closed.
func TestUpgrading(t *testing.T) {
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
			_, _ = c.Write([]byte("220 ready\r\n"))
			c.Close()
		}
	}()
	var greeting string
	d := Upgrading(NewSockets(2, nil), func(_ context.Context, c net.Conn) error {
		b := make([]byte, 11)
		if _, err := io.ReadFull(c, b); err != nil {
			return err
		}
		greeting = string(b)
		return nil
	})
	c, _, se := d.Dial(context.Background(), ln.Addr().String(), time.Minute)
	if se != nil {
		t.Fatal(se)
	}
	c.Close()
	if greeting != "220 ready\r\n" {
		t.Errorf("upgrade read %q", greeting)
	}

	failing := Upgrading(NewSockets(2, nil), func(context.Context, net.Conn) error { return io.EOF })
	if _, _, se := failing.Dial(context.Background(), ln.Addr().String(), time.Minute); se == nil || se.Kind != KindClosed || !errors.Is(se, se.Err) {
		t.Errorf("failed upgrade: %v, want kind %s", se, KindClosed)
	}
}
