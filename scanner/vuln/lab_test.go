package vuln_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

const (
	V = vuln.Vulnerable
	N = vuln.NotVulnerable
	T = vuln.NotTested
)

// probes names each outcome for the table below.
func probes(o *vuln.Observation) map[string]vuln.Outcome {
	return map[string]vuln.Outcome{
		"heartbleed": o.Heartbleed, "ccs": o.CCSInjection, "robot": o.ROBOT, "ssl2": o.SSL2,
		"reneg": o.RenegotiationInsecure, "compression": o.Compression, "fallback": o.FallbackSCSV, "ems": o.ExtendedMasterSecret,
		"clientreneg": o.ClientRenegotiation, "earlydata": o.EarlyData,
	}
}

// TestProbesAgainstLab runs the enumeration and every probe against real
// crypto/tls and zcrypto servers, where they must find nothing (and tell
// "not tested" from "not vulnerable"), and against the lab's bug
// endpoints, where exactly their probe must find the bug; and it counts
// the extra connections each host costs.
func TestProbesAgainstLab(t *testing.T) {
	cases := []struct {
		endpoint string
		// conns is how many connections the probes may open: the
		// published methods' budget (see docs/vulnerabilities.md).
		conns int
		want  map[string]vuln.Status
	}{
		// crypto/tls, TLS 1.2 and 1.3, Go's default suites (no RSA key
		// exchange, so ROBOT is not tested; no heartbeats).
		{"good", 6, map[string]vuln.Status{"heartbleed": T, "ccs": N, "robot": T, "ssl2": N, "reneg": N, "compression": N, "fallback": N, "ems": N, "clientreneg": N, "earlydata": N}},
		// crypto/tls with RSA key exchange: constant-time, no oracle.
		{"static-rsa-only", 8, map[string]vuln.Status{"earlydata": T, "heartbleed": T, "ccs": N, "robot": N, "ssl2": N, "reneg": N, "compression": N, "fallback": T, "ems": N, "clientreneg": T}},
		// crypto/tls TLS 1.3 only: nothing below TLS 1.3 to probe.
		{"tls13-only", 2, map[string]vuln.Status{"heartbleed": T, "ccs": T, "robot": T, "ssl2": N, "reneg": T, "compression": T, "fallback": T, "ems": T, "clientreneg": T, "earlydata": N}},
		// zcrypto: everything fine but the extended master secret.
		{"weak-preferred", 4, map[string]vuln.Status{"heartbleed": T, "ccs": N, "robot": T, "ssl2": N, "reneg": N, "compression": N, "fallback": T, "ems": V, "clientreneg": N}},
		{"heartbleed", 5, map[string]vuln.Status{"heartbleed": V, "ccs": N, "ssl2": N, "reneg": N, "compression": N, "ems": N}},
		{"ccs-injection", 9, map[string]vuln.Status{"heartbleed": T, "ccs": V, "robot": N, "ssl2": N, "reneg": N, "compression": N, "ems": N}},
		{"robot", 13, map[string]vuln.Status{"heartbleed": T, "ccs": N, "robot": V, "ssl2": N, "reneg": N}},
		{"ssl2", 4, map[string]vuln.Status{"heartbleed": T, "ccs": N, "ssl2": V, "reneg": N}},
		{"compression", 4, map[string]vuln.Status{"heartbleed": T, "ccs": N, "ssl2": N, "compression": V}},
		{"no-fallback-scsv", 5, map[string]vuln.Status{"heartbleed": T, "ccs": N, "ssl2": N, "fallback": V, "reneg": N}},
		{"no-secure-renegotiation", 3, map[string]vuln.Status{"heartbleed": T, "ccs": N, "ssl2": N, "reneg": V, "ems": V, "compression": N}},
		{"client-renegotiation", 4, map[string]vuln.Status{"heartbleed": T, "ccs": N, "ssl2": N, "reneg": N, "ems": N, "clientreneg": V}},
		// crypto/tls whose TLS 1.3 tickets are rewritten to allow 0-RTT.
		{"early-data", 6, map[string]vuln.Status{"heartbleed": T, "ccs": N, "robot": T, "ssl2": N, "reneg": N, "compression": N, "fallback": N, "ems": N, "clientreneg": N, "earlydata": V}},
		// hello-only fake with SSL 3.0-TLS 1.2: honours the SCSV.
		{"ssl3", 4, map[string]vuln.Status{"fallback": N, "reneg": N, "ems": N}},
	}
	var names []string
	for _, c := range cases {
		names = append(names, c.endpoint)
	}
	l, err := lab.Start(lab.Options{Only: names})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	d := netx.NewSockets(16, l.Resolver())
	for _, c := range cases {
		t.Run(c.endpoint, func(t *testing.T) {
			t.Parallel()
			ep := l.Endpoint(c.endpoint)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			sni := l.Env.ServerName(c.endpoint)
			e, err := enum.Run(ctx, d, enum.Config{ServerName: sni, Timeout: 10 * time.Second}, ep.Addr.String())
			if err != nil {
				t.Fatal(err)
			}
			o := vuln.Run(ctx, d, vuln.Config{ServerName: sni, Timeout: 10 * time.Second}, ep.Addr.String(), vuln.InputFrom(e))
			for name, got := range probes(o) {
				want, ok := c.want[name]
				switch {
				case ok && got.Status != want:
					t.Errorf("%s: %s (%s), want %s", name, got.Status, got.Detail, want)
				case !ok && (got.Status == V || got.Status == vuln.Undecided):
					t.Errorf("%s: %s (%s), want neither vulnerable nor undecided", name, got.Status, got.Detail)
				}
			}
			if o.Connections != c.conns {
				t.Errorf("%d probe connections, want %d", o.Connections, c.conns)
			}
		})
	}
}

// TestHeartbleedCountsNeverKeeps: the outcome says how many bytes leaked
// and carries none of them.
func TestHeartbleedCountsNeverKeeps(t *testing.T) {
	l, err := lab.Start(lab.Options{Only: []string{"heartbleed"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	d := netx.NewSockets(4, l.Resolver())
	ep := l.Endpoint("heartbleed")
	ctx := context.Background()
	e, err := enum.Run(ctx, d, enum.Config{Timeout: 10 * time.Second}, ep.Addr.String())
	if err != nil {
		t.Fatal(err)
	}
	o := vuln.Run(ctx, d, vuln.Config{Timeout: 10 * time.Second}, ep.Addr.String(), vuln.InputFrom(e))
	if o.Heartbleed.Status != V || o.Heartbleed.Evidence["leaked_bytes"] != "256" {
		t.Fatalf("heartbleed = %+v, want vulnerable with 256 leaked bytes", o.Heartbleed)
	}
	for k, v := range o.Heartbleed.Evidence {
		if strings.Contains(v, "filler") || strings.Contains(k, "filler") || len(v) > 64 {
			t.Errorf("evidence %s = %q carries server bytes", k, v)
		}
	}
	if strings.Contains(o.Heartbleed.Detail, "filler") {
		t.Errorf("detail %q carries server bytes", o.Heartbleed.Detail)
	}
}
