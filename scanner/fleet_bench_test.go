package scanner_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"iter"
	"net"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/report"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// BenchmarkFleet scans a fleet of N endpoints (N = 100 and 1000) three ways,
// side by side against the same child-process servers with the same
// concurrency:
//
//   - raw-handshake: a bare crypto/tls dial-and-handshake loop, no
//     verification, nothing recorded: the limit any scanner can reach.
//   - cert-audit: the scanner with every check that reads only the shared
//     handshake (certificates, chain, names, revocation facts), as
//     `tlsaudit scan --protocol tls --skip 'protocol-*,cipher-*,dh-*'`
//     runs, writing JSON Lines to io.Discard.
//   - full-audit: every default check, which adds protocol and
//     cipher-suite enumeration and the HTTP probes: what a plain
//     `tlsaudit scan` runs. (The fleet's endpoints have no plain-HTTP
//     port: that probe is refused at once.)
//
// One op is one scan of the whole fleet. Metrics are per target:
// targets/s, conns/target (counted by the servers), cpu-µs/target (this
// process's user+system time, i.e. the client's), B/target and
// allocs/target. bench/run.sh prints the medians and the ratio of each
// audit's rate to raw-handshake.
func BenchmarkFleet(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("endpoints=%d", n), func(b *testing.B) {
			fs := startFleet(b, n)
			b.Run("raw-handshake", func(b *testing.B) {
				measureFleet(b, fs, func(ts iter.Seq[*scanner.Target]) { rawHandshakes(b, ts, scanner.DefaultConcurrency) })
			})
			b.Run("cert-audit", func(b *testing.B) {
				measureFleet(b, fs, auditor(b, certAuditChecks()))
			})
			b.Run("full-audit", func(b *testing.B) {
				full := checks.All()
				if !needsAny(full, scanner.NeedEnumeration) {
					b.Skip("no check needs protocol enumeration yet (issue 3 has not landed): nothing to measure beyond default-audit")
				}
				measureFleet(b, fs, auditor(b, full))
			})
		})
	}
}

// certAuditChecks are the checks a plain `tlsaudit scan` runs that read
// only the shared handshake: the certificate audit, one connection a
// target.
func certAuditChecks() []*scanner.Check {
	var out []*scanner.Check
	for _, c := range checks.All() {
		if c.Needs&^scanner.NeedHandshake == 0 {
			out = append(out, c)
		}
	}
	return out
}

func needsAny(cs []*scanner.Check, n scanner.Needs) bool {
	for _, c := range cs {
		if c.Needs&n != 0 {
			return true
		}
	}
	return false
}

// auditor scans targets with the scanner and a JSON Lines writer, failing
// the benchmark on any scan error (a benchmark that times errors measures
// nothing).
func auditor(b *testing.B, cs []*scanner.Check) func(iter.Seq[*scanner.Target]) {
	return func(ts iter.Seq[*scanner.Target]) {
		w, err := report.New("jsonl", io.Discard, report.Meta{Checks: cs}, report.Options{})
		if err != nil {
			b.Fatal(err)
		}
		s := scanner.New(scanner.Options{Checks: cs, Concurrency: scanner.DefaultConcurrency})
		var failed atomic.Int64
		var first atomic.Value
		err = s.Run(context.Background(), ts, func(r *scanner.Result) error {
			if r.Err != nil || len(r.CheckErrors) > 0 || len(r.Findings) > 0 {
				if failed.Add(1) == 1 {
					first.Store(fmt.Sprintf("%s: err %v, check errors %v, findings %v", r.Target.Name, r.Err, r.CheckErrors, r.Findings))
				}
			}
			return w.Write(r)
		})
		if err != nil {
			b.Fatal(err)
		}
		if n := failed.Load(); n > 0 {
			b.Fatalf("%d targets did not scan clean; first: %s", n, first.Load())
		}
	}
}

// rawHandshakes is the limit: dial, handshake, close, with workers
// goroutines, the scanner's default concurrency.
func rawHandshakes(b *testing.B, ts iter.Seq[*scanner.Target], workers int) {
	next, stop := iter.Pull(ts)
	defer stop()
	var mu sync.Mutex
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range workers {
		wg.Go(func() {
			d := net.Dialer{Timeout: 10 * time.Second}
			for {
				mu.Lock()
				t, ok := next()
				mu.Unlock()
				if !ok {
					return
				}
				c, err := d.Dial("tcp", t.HostPort())
				if err != nil {
					failed.Add(1)
					continue
				}
				tc := tls.Client(c, &tls.Config{ServerName: t.ServerName, InsecureSkipVerify: true})
				if tc.Handshake() != nil {
					failed.Add(1)
				}
				tc.Close()
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d raw handshakes failed", n)
	}
}

// measureFleet scans the whole fleet once per op, each endpoint once, as
// the CLI scans a targets file: a fresh scanner per op, so nothing learned
// about one endpoint (a cached verification) carries over to the next op.
// Metrics are per target: the fleet's ns/op, B/op and allocs/op divided by
// its size.
func measureFleet(b *testing.B, fs *fleetServer, scan func(iter.Seq[*scanner.Target])) {
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	conns0 := fs.Accepted(b)
	cpu0 := cpuTime()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		scan(slices.Values(fs.Targets))
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cpu := cpuTime() - cpu0
	conns := fs.Accepted(b) - conns0
	runtime.ReadMemStats(&ms1)
	n := float64(b.N * len(fs.Targets))
	b.ReportMetric(n/elapsed.Seconds(), "targets/s")
	b.ReportMetric(float64(conns)/n, "conns/target")
	b.ReportMetric(float64(cpu.Microseconds())/n, "cpu-µs/target")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/n, "B/target")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/n, "allocs/target")
}

// cpuTime is this process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
