package scanner

import (
	"context"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestOrderedWindow puts a tarpit first and many instantly refused targets
// after it, and checks that ordered output starts no more than the window
// of targets while the tarpit holds the head, then still yields every
// result in order.
func TestOrderedWindow(t *testing.T) {
	pit, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	defer func() { pit.Close(); wg.Wait() }()
	wg.Go(func() {
		for {
			c, err := pit.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { io.Copy(io.Discard, c); c.Close() })
		}
	})
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()

	mk := func(i, port int, timeout time.Duration) *Target {
		return &Target{Index: i, Name: strconv.Itoa(i), Host: "127.0.0.1", Port: port, ServerName: "x.test",
			ConnectTimeout: timeout, Deadline: time.Minute}
	}
	const n, window = 200, 8
	var mu sync.Mutex
	pulled := 0
	targets := func(yield func(*Target) bool) {
		for i := range n {
			t := mk(i, refusedPort, time.Second)
			if i == 0 {
				t = mk(0, pit.Addr().(*net.TCPAddr).Port, 500*time.Millisecond)
			}
			mu.Lock()
			pulled++
			mu.Unlock()
			if !yield(t) {
				return
			}
		}
	}
	s := New(Options{Concurrency: 4, Ordered: true})
	s.window = window
	var got []int
	pulledAtFirst := -1
	err = s.Run(context.Background(), targets, func(r *Result) error {
		if pulledAtFirst < 0 {
			mu.Lock()
			pulledAtFirst = pulled
			mu.Unlock()
		}
		got = append(got, r.Target.Index)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pulledAtFirst > window+1 {
		t.Errorf("%d targets started while the first was held up; window %d", pulledAtFirst, window)
	}
	if len(got) != n {
		t.Fatalf("%d results, want %d", len(got), n)
	}
	for i, idx := range got {
		if idx != i {
			t.Fatalf("result %d is target %d", i, idx)
		}
	}
}
