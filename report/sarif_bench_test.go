package report

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// BenchmarkSARIF writes the SARIF of a fleet of 10,000 targets with 2
// findings each, and reports the document's size per result, raw and
// gzipped (GitHub's upload limit is 10 MB gzipped).
func BenchmarkSARIF(b *testing.B) {
	const targets = 10000
	rs := make([]*scanner.Result, targets)
	for i := range rs {
		host := fmt.Sprintf("host%d.example.com", i)
		rs[i] = &scanner.Result{
			Target: &scanner.Target{Index: i, Name: host, Host: host, Port: 443, ServerName: host,
				Source: scanner.Location{File: "fleet/targets.yaml", Line: 3 + 2*i, Column: 5}},
			Addr: "192.0.2.1:443", Start: fixtureStart,
			Findings: []scanner.Finding{
				{CheckID: "cert-expiring-soon", Severity: scanner.Medium, Message: "the leaf certificate expires in 12 days, on 2026-12-05",
					Evidence: map[string]string{"not_after": "2026-12-05T00:00:00Z", "days_left": "12"}},
				{CheckID: "chain-incomplete", Severity: scanner.High, Message: "the server does not send the intermediate that issued its certificate"},
			},
		}
	}
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
