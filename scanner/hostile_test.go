package scanner_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// hostileNames are the lab endpoints that misbehave: every endpoint that
// cannot be scanned, and those serving certificate data built to hurt a
// parser.
func hostileNames() []string {
	var names []string
	for _, ep := range lab.Endpoints() {
		if ep.WantError != "" || slices.Contains([]string{"long-chain", "malformed-cert", "endless-header", "endless-body", "redirect-loop"}, ep.Name) {
			names = append(names, ep.Name)
		}
	}
	return names
}

// TestHostileEndpointsLeaveNothingBehind scans every hostile lab endpoint
// and checks that each gives its one result, with its error kind, before
// its deadline, and that once the scan returns no goroutine or file
// descriptor it opened is left. The lab runs in this process, so the
// baseline is taken with the lab already up; its own per-connection
// goroutines end when the scanner hangs up, so they must be gone too.
func TestHostileEndpointsLeaveNothingBehind(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for timeouts")
	}
	l := startLab(t, hostileNames()...)
	const deadline = 4 * time.Second
	var targets []*scanner.Target
	for _, tg := range l.Targets() {
		tg.Deadline = deadline
		targets = append(targets, tg)
	}
	s := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver(), Concurrency: 4})

	settle()
	goroutines, fds := runtime.NumGoroutine(), openFDs(t)
	var mu sync.Mutex
	got := map[string]*scanner.Result{}
	err := s.Run(context.Background(), slices.Values(targets), func(r *scanner.Result) error {
		mu.Lock()
		defer mu.Unlock()
		if got[r.Target.Name] != nil {
			t.Errorf("%s: second result", r.Target.Name)
		}
		got[r.Target.Name] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, ep := range l.Endpoints {
		r := got[ep.Name]
		if msg := lab.Mismatch(ep.Endpoint, r); msg != "" {
			t.Errorf("%s: %s", ep.Name, msg)
			continue
		}
		// Not a speed assertion: these peers would hold a connection
		// for ever (the drip for hours, the tarpit indefinitely), so any
		// bound shows the deadline cut them off. The margin absorbs a
		// loaded machine's scheduling delays many times over.
		if r.Duration > deadline+5*time.Second {
			t.Errorf("%s: took %v, past its %v deadline", ep.Name, r.Duration, deadline)
		}
	}

	// Peers notice the hang-up within about a second (the drip's next
	// write); wait for that, then compare.
	var g, f int
	for wait := time.Now().Add(30 * time.Second); time.Now().Before(wait); time.Sleep(100 * time.Millisecond) {
		settle()
		if g, f = runtime.NumGoroutine(), openFDs(t); g <= goroutines && f <= fds {
			return
		}
	}
	buf := make([]byte, 1<<20)
	t.Errorf("after the scan: %d goroutines (before: %d), %d open fds (before: %d)\n%s",
		g, goroutines, f, fds, buf[:runtime.Stack(buf, true)])
}

func settle() {
	runtime.GC()
	runtime.Gosched()
}

// openFDs counts this process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors here: %v", err)
	}
	return len(ents)
}

// TestMixedFleet scans a fleet of a few hundred targets, a third of them
// hostile, with a concurrency well below the fleet size, and checks that
// there is exactly one result per target and that every target, good or
// broken, shows exactly what its endpoint is built to show: hostile peers
// must not cost a good target its findings.
func TestMixedFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for timeouts")
	}
	l := startLab(t)
	hostile := hostileNames()
	var good, bad []*lab.Running
	for _, r := range l.Endpoints {
		if slices.Contains(hostile, r.Name) {
			bad = append(bad, r)
		} else {
			good = append(good, r)
		}
	}
	const size = 300
	var targets []*scanner.Target
	endpoint := map[string]*lab.Running{}
	for i := range size {
		pool := good
		if i%3 == 2 {
			pool = bad
		}
		ep := pool[(i/3)%len(pool)]
		tg := ep.Target()
		tg.Name = fmt.Sprintf("%s#%03d", ep.Name, i)
		tg.Index = i
		targets = append(targets, tg)
		endpoint[tg.Name] = ep
	}
	s := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver(), Concurrency: 32, Ordered: true})
	var names []string
	err := s.Run(context.Background(), slices.Values(targets), func(r *scanner.Result) error {
		names = append(names, r.Target.Name)
		if msg := lab.Mismatch(endpoint[r.Target.Name].Endpoint, r); msg != "" {
			t.Errorf("%s: %s", r.Target.Name, msg)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != size {
		t.Fatalf("%d results for %d targets", len(names), size)
	}
	for i, n := range names {
		if n != targets[i].Name {
			t.Fatalf("result %d is %s, want %s (input order)", i, n, targets[i].Name)
		}
	}
}
