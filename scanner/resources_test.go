package scanner

import (
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"syscall"
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// TestRunStopsOutOfDescriptors: when connects fail with EMFILE, Run
// returns a *ResourceError and emits no result: none could be judged.
func TestRunStopsOutOfDescriptors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	for _, ordered := range []bool{false, true} {
		s := New(Options{Concurrency: 4, Ordered: ordered})
		s.sockets.Net.Control = func(string, string, syscall.RawConn) error {
			return os.NewSyscallError("socket", syscall.EMFILE)
		}
		var targets []*Target
		for i := range 50 {
			targets = append(targets, &Target{Index: i, Host: "127.0.0.1", ServerName: "127.0.0.1", Port: port})
		}
		var emitted []*Result
		err := s.Run(context.Background(), slices.Values(targets), func(r *Result) error {
			emitted = append(emitted, r)
			return nil
		})
		var re *netx.ResourceError
		if !errors.As(err, &re) || !errors.Is(err, syscall.EMFILE) {
			t.Fatalf("ordered %v: Run returned %v, want a netx.ResourceError", ordered, err)
		}
		for _, r := range emitted {
			t.Errorf("ordered %v: target %d emitted after the stop, with %v", ordered, r.Target.Index, r.Err)
		}
	}
}
