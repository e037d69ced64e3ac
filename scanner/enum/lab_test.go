package enum_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// enumLab starts the lab endpoints these tests and benchmarks enumerate.
func enumLab(tb testing.TB, names ...string) *lab.Lab {
	tb.Helper()
	l, err := lab.Start(lab.Options{Only: names})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { l.Close() })
	return l
}

func enumerate(tb testing.TB, s *netx.Sockets, l *lab.Lab, name string) *enum.Enumeration {
	tb.Helper()
	ep := l.Endpoint(name)
	e, err := enum.Run(context.Background(), s, config(ep.Target()), ep.Addr.String())
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return e
}

// config reaches t as the scanner does.
func config(t *scanner.Target) enum.Config {
	return enum.Config{ServerName: t.SNI(), Timeout: t.ConnectTimeout}
}

func ids(ss []enum.AcceptedSuite) []uint16 {
	var out []uint16
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

// TestEnumerateLab checks the probe's view of real servers (crypto/tls,
// zcrypto and the lab's hello-only fake) against how they are configured.
func TestEnumerateLab(t *testing.T) {
	l := enumLab(t, "good", "tls10-only", "weak-preferred", "dh-1024", "null", "ssl3")
	s := netx.NewSockets(scanner.DefaultConcurrency, l.Resolver())

	good := enumerate(t, s, l, "good")
	if got := good.AcceptedVersions(); !slices.Equal(got, []uint16{tlsinfo.VersionTLS12, tlsinfo.VersionTLS13}) {
		t.Errorf("good: versions %04x, want TLS 1.2 and 1.3", got)
	}
	if v := good.Version(tlsinfo.VersionTLS13); len(v.Suites) != 3 || !slices.Contains(v.Groups, 0x001D) {
		t.Errorf("good: TLS 1.3 %+v, want Go's three suites and x25519", v)
	}

	if got := enumerate(t, s, l, "tls10-only").AcceptedVersions(); !slices.Equal(got, []uint16{tlsinfo.VersionTLS10}) {
		t.Errorf("tls10-only: versions %04x", got)
	}

	wp := enumerate(t, s, l, "weak-preferred").Version(tlsinfo.VersionTLS12)
	if got := ids(wp.Suites); !slices.Equal(got, []uint16{0xC007, 0xC02B}) || wp.SuitePreference != enum.PreferServer {
		t.Errorf("weak-preferred: suites %04x (%q), want RC4 then AES-GCM in server order", got, wp.SuitePreference)
	}

	dh := enumerate(t, s, l, "dh-1024").Version(tlsinfo.VersionTLS12)
	if len(dh.Suites) != 2 || dh.Suites[0].DHBits != 1024 {
		t.Errorf("dh-1024: %+v, want two DHE suites with 1024-bit groups", dh.Suites)
	}

	if got := ids(enumerate(t, s, l, "null").Version(tlsinfo.VersionTLS12).Suites); !slices.Equal(got, []uint16{0x003B, 0x0002}) {
		t.Errorf("null: suites %04x", got)
	}
	if !enumerate(t, s, l, "ssl3").Accepts(tlsinfo.VersionSSL30) {
		t.Error("ssl3: SSL 3.0 not accepted")
	}
}

// TestEnumerateWithOneSocket enumerates with a Dialer allowing a single
// socket: each probe holds one socket and never waits for a second while
// holding it, so this completes instead of deadlocking.
func TestEnumerateWithOneSocket(t *testing.T) {
	l := enumLab(t, "good")
	s := netx.NewSockets(1, l.Resolver())
	ep := l.Endpoint("good")
	// Only a guard against a hang taking the whole test binary down.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	e, err := enum.Run(ctx, s, config(ep.Target()), ep.Addr.String())
	if err != nil {
		t.Fatal(err)
	}
	if !e.Accepts(tlsinfo.VersionTLS13) {
		t.Error("TLS 1.3 not found")
	}
}

// BenchmarkEnumerate measures one full enumeration (every version, suite
// and group) of lab endpoints: wall time per op, and conns/op, the
// connections it opened.
func BenchmarkEnumerate(b *testing.B) {
	names := []string{"good", "tls12-only", "tls10-only", "rc4", "weak-preferred", "dh-1024", "ssl3"}
	l := enumLab(b, names...)
	s := netx.NewSockets(scanner.DefaultConcurrency, l.Resolver())
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			conns := 0
			for b.Loop() {
				conns += enumerate(b, s, l, name).Connections
			}
			b.ReportMetric(float64(conns)/float64(b.N), "conns/op")
		})
	}
}
