package clientsim_test

import (
	"context"
	"crypto/tls"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/clientdata"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/clientsim"
)

// TestSimulationMatchesGoClient cross-checks the simulation with a real
// client: for each profile, Go's crypto/tls configured with the profile's
// version range and TLS 1.0-1.2 suites connects to lab endpoints, and
// whether it connects must match the simulated verdict. Pairs Go cannot
// stand in for (a shared suite Go does not implement) are skipped.
func TestSimulationMatchesGoClient(t *testing.T) {
	endpoints := []string{"tls13-only", "tls12-only", "tls10-only", "static-rsa-only", "3des-only", "cbc-only", "ats-static-rsa"}
	profiles := []string{"java-8u161", "java-17", "android-19", "android-24", "ios-15", "curl-openssl-3", "okhttp-3"}
	l, err := lab.Start(lab.Options{Only: endpoints})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	goSuites := map[uint16]bool{}
	for _, s := range slices.Concat(tls.CipherSuites(), tls.InsecureCipherSuites()) {
		goSuites[s.ID] = true
	}
	s := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver()})
	compared := 0
	for _, ep := range l.Endpoints {
		var r *scanner.Result
		target := ep.Target()
		s.ScanTarget(context.Background(), target, func(res *scanner.Result) { r = res })
		if r == nil || r.Enum == nil || r.Handshake == nil {
			t.Fatalf("%s: no enumeration or handshake", ep.Name)
		}
		sim := clientsim.New(clientsim.Input{Enum: r.Enum, Chain: r.Handshake.Chain, Roots: target.Roots, RootsName: target.RootsName, Now: time.Now(), PlatformStore: "mozilla-gofallback-20261030"})
		for _, id := range profiles {
			prof := clientdata.ProfileByID(id)
			if prof == nil {
				t.Fatalf("no profile %s", id)
			}
			var suites []uint16
			representable := prof.MinVersion >= tls.VersionTLS10
			for _, v := range r.Enum.AcceptedVersions() {
				if v > tls.VersionTLS12 || v < prof.MinVersion || v > prof.MaxVersion {
					continue
				}
				for _, a := range r.Enum.Version(v).Suites {
					if slices.Contains(prof.Suites, a.ID) && !goSuites[a.ID] {
						representable = false
					}
				}
			}
			for _, id := range prof.Suites {
				if goSuites[id] {
					suites = append(suites, id)
				}
			}
			if !representable {
				continue
			}
			o := sim.Simulate(prof)
			if o.Verdict == clientsim.Undecided {
				continue
			}
			cfg := &tls.Config{MinVersion: prof.MinVersion, MaxVersion: prof.MaxVersion, CipherSuites: suites,
				RootCAs: target.Roots, ServerName: target.ServerName}
			conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", ep.Addr.String(), cfg)
			if err == nil {
				conn.Close()
			}
			if real := err == nil; real != (o.Verdict == clientsim.Connects) {
				t.Errorf("%s × %s: simulated %s (%s), Go client connected=%v (%v)", ep.Name, id, o.Verdict, o.Reason, real, err)
			}
			t.Logf("%-16s %-15s simulated %-9s Go client connected=%v", ep.Name, id, o.Verdict, err == nil)
			compared++
		}
	}
	if compared < 20 {
		t.Errorf("only %d pairs compared", compared)
	}
	t.Logf("%d endpoint × profile pairs compared", compared)
}
