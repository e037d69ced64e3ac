package report

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// fleetResults are the results of a fleet of n targets with 2 findings
// each.
func fleetResults(n int) []*scanner.Result {
	rs := make([]*scanner.Result, n)
	for i := range rs {
		rs[i] = fleetResult(i)
	}
	return rs
}

// fleetResult is the result of the i-th target of fleetResults, made
// anew: what the writer keeps of it, only the writer holds.
func fleetResult(i int) *scanner.Result {
	host := fmt.Sprintf("host%d.example.com", i)
	return &scanner.Result{
		Target: &scanner.Target{Index: i, Name: host, Host: host, Port: 443, ServerName: host,
			Source: fileloc.Location{File: "fleet/targets.yaml", Line: 3 + 2*i, Column: 5}},
		Addr: "192.0.2.1:443", Start: fixtureStart,
		Findings: []scanner.Finding{
			{CheckID: "cert-expiring-soon", Severity: scanner.Medium, Message: "the leaf certificate expires in 12 days, on 2026-12-05",
				Evidence: map[string]string{"not_after": "2026-12-05T00:00:00Z", "days_left": "12"}},
			{CheckID: "chain-incomplete", Severity: scanner.High, Message: "the server does not send the intermediate that issued its certificate"},
		},
	}
}

// BenchmarkSARIF writes the SARIF of a fleet of 10,000 targets with 2
// findings each, and reports the document's size per result, raw and
// gzipped (GitHub's upload limit is 10 MB gzipped).
func BenchmarkSARIF(b *testing.B) {
	const targets = 10000
	rs := fleetResults(targets)
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		w := newSARIF(&out, fixtureMeta())
		for _, r := range rs {
			if err := w.Write(r); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(NewSummary()); err != nil {
			b.Fatal(err)
		}
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(out.Bytes())
	zw.Close()
	b.ReportMetric(float64(out.Len())/(2*targets), "bytes/result")
	b.ReportMetric(float64(z.Len())/(2*targets), "gzip-bytes/result")
}

// BenchmarkSARIFHeld measures what the SARIF writer holds in memory
// between the first result and Close, per finding, for fleets of 10,000
// to 100,000 targets (2 findings each; past 12,500 targets the run is
// capped at GitHub's 25,000 results). Flat and small means findings wait
// on disk, not in memory (bench/rss.sh measures the whole process).
func BenchmarkSARIFHeld(b *testing.B) {
	for _, targets := range []int{10000, 50000, 100000} {
		b.Run(fmt.Sprint(targets), func(b *testing.B) {
			var held uint64
			for b.Loop() {
				before := heapInUse()
				w := newSARIF(io.Discard, fixtureMeta())
				for i := range targets {
					if err := w.Write(fleetResult(i)); err != nil {
						b.Fatal(err)
					}
				}
				held = heapInUse() - min(before, heapInUse())
				if err := w.Close(NewSummary()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(held)/(2*float64(targets)), "held-bytes/finding")
			b.ReportMetric(float64(held)/(1<<20), "held-MiB")
		})
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
