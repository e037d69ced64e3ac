package scanner_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

func startLab(t testing.TB, names ...string) *lab.Lab {
	t.Helper()
	l, err := lab.Start(lab.Options{Only: names})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// TestRunOneResultPerTargetInOrder scans a mix of good, broken and
// unreachable targets and checks that each yields exactly one result, in
// input order when Ordered is set.
func TestRunOneResultPerTargetInOrder(t *testing.T) {
	l := startLab(t, "good", "tarpit", "expired", "refused", "garbage", "wrong-host")
	var targets []*scanner.Target
	for round := range 3 {
		for _, tg := range l.Targets() {
			tg.Name = tg.Name + "-" + string(rune('a'+round))
			tg.ConnectTimeout = 500 * time.Millisecond
			tg.Index = len(targets)
			targets = append(targets, tg)
		}
	}
	for _, ordered := range []bool{true, false} {
		s := scanner.New(scanner.Options{Checks: checks.All(), Concurrency: 4, Ordered: ordered})
		var got []string
		err := s.Run(context.Background(), slices.Values(targets), func(r *scanner.Result) error {
			got = append(got, r.Target.Name)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, tg := range targets {
			want = append(want, tg.Name)
		}
		if !ordered {
			slices.Sort(got)
			slices.Sort(want)
		}
		if !slices.Equal(got, want) {
			t.Errorf("ordered=%v: results %v, want %v", ordered, got, want)
		}
	}
}

// TestRunCanceled checks that an interrupted scan still emits a result for
// every target: the ones in flight and the ones never started are canceled.
func TestRunCanceled(t *testing.T) {
	l := startLab(t, "tarpit")
	tarpit := l.Endpoints[0].Target()
	tarpit.ConnectTimeout = time.Minute
	var targets []*scanner.Target
	for i := range 10 {
		tg := *tarpit
		tg.Index = i
		tg.Name = tarpit.Name + string(rune('0'+i))
		targets = append(targets, &tg)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	s := scanner.New(scanner.Options{Checks: checks.All(), Concurrency: 2})
	var mu sync.Mutex
	kinds := map[netx.ErrorKind]int{}
	go func() {
		time.Sleep(200 * time.Millisecond)
		cancel(netx.ErrInterrupted)
	}()
	err := s.Run(ctx, slices.Values(targets), func(r *scanner.Result) error {
		mu.Lock()
		defer mu.Unlock()
		if r.Err != nil {
			kinds[r.Err.Kind]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if kinds[netx.KindCanceled] != 10 {
		t.Errorf("error kinds %v, want 10 canceled", kinds)
	}
}

// TestRunStopsWhenReportFails checks that a failing report writer stops the
// scan and surfaces the error instead of scanning on into the void.
func TestRunStopsWhenReportFails(t *testing.T) {
	l := startLab(t, "good")
	var targets []*scanner.Target
	for i := range 50 {
		tg := l.Endpoints[0].Target()
		tg.Index = i
		targets = append(targets, tg)
	}
	boom := errors.New("disk full")
	calls := 0
	s := scanner.New(scanner.Options{Checks: checks.All(), Concurrency: 2})
	err := s.Run(context.Background(), slices.Values(targets), func(*scanner.Result) error {
		calls++
		return boom
	})
	if !errors.Is(err, boom) || calls != 1 {
		t.Errorf("err %v after %d emits, want %v after 1", err, calls, boom)
	}
}

// TestAllAddresses checks that a name with two addresses is scanned once
// by default (recording which address) and once per address when asked.
func TestAllAddresses(t *testing.T) {
	l := startLab(t, "dual-stack")
	tg := l.Endpoints[0].Target()
	s := scanner.New(scanner.Options{Checks: checks.All(), Resolver: l.Resolver()})
	scan := func(all bool) []*scanner.Result {
		tg.AllAddresses = all
		var rs []*scanner.Result
		s.ScanTarget(context.Background(), tg, func(r *scanner.Result) { rs = append(rs, r) })
		return rs
	}
	one := scan(false)
	if len(one) != 1 || one[0].Addr == "" || one[0].Err != nil {
		t.Fatalf("default: %d results, first %+v", len(one), one[0])
	}
	if len(one[0].Resolved) < 2 {
		t.Skipf("no IPv6 loopback here: resolved %v", one[0].Resolved)
	}
	all := scan(true)
	if len(all) != len(one[0].Resolved) {
		t.Fatalf("all addresses: %d results for %v", len(all), one[0].Resolved)
	}
	if all[0].Addr == all[1].Addr {
		t.Errorf("same address twice: %s", all[0].Addr)
	}
	for _, r := range all {
		if r.Err != nil || len(r.Findings) != 0 {
			t.Errorf("%s: err %v findings %v", r.Addr, r.Err, r.Findings)
		}
	}
}

// TestCheckPanicIsACheckError checks that one broken check cannot take the
// scan down or pass silently.
func TestCheckPanicIsACheckError(t *testing.T) {
	l := startLab(t, "good")
	bad := &scanner.Check{ID: "boom", Title: "Boom", Severity: scanner.Low, Needs: scanner.NeedHandshake,
		Run: func(*scanner.Pass) error { panic("kaboom") }}
	s := scanner.New(scanner.Options{Checks: []*scanner.Check{bad}})
	var r *scanner.Result
	s.ScanTarget(context.Background(), l.Endpoints[0].Target(), func(x *scanner.Result) { r = x })
	if len(r.CheckErrors) != 1 || r.CheckErrors[0].CheckID != "boom" {
		t.Errorf("check errors %v", r.CheckErrors)
	}
}

func TestSelection(t *testing.T) {
	sel := scanner.Selection{Only: []string{"cert-*", "hostname-mismatch"}, Skip: []string{"cert-expiring-soon"}}
	for id, want := range map[string]bool{"cert-expired": true, "cert-expiring-soon": false, "hostname-mismatch": true, "chain-invalid": false} {
		if got := sel.Allows(id); got != want {
			t.Errorf("Allows(%s) = %v, want %v", id, got, want)
		}
	}
	if err := scanner.ValidatePattern("chain-*", checks.All()); err != nil {
		t.Error(err)
	}
	if err := scanner.ValidatePattern("chian-*", checks.All()); err == nil {
		t.Error("a pattern matching nothing passed validation")
	}
}

func TestValidateRejectsBadMetadata(t *testing.T) {
	err := scanner.Validate([]*scanner.Check{
		{ID: "Bad_ID", Title: "Ends with a period.", Severity: 9},
		{ID: "dup", Title: "T", Description: "d", Remediation: "r", References: []string{"http://insecure"}, Severity: scanner.Low, Run: func(*scanner.Pass) error { return nil }},
		{ID: "dup", Title: "T", Description: "d", Remediation: "r", References: []string{"https://x"}, Severity: scanner.Low, Run: func(*scanner.Pass) error { return nil }},
	})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"lowercase words", "period", "no description", "no remediation", "no references", "invalid severity", "no Run", "not an https URL", "duplicate ID"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestTargetDeadline checks that the per-target cap cuts a probe short
// even when the per-connection timeout is longer.
func TestTargetDeadline(t *testing.T) {
	l := startLab(t, "tarpit")
	tg := l.Endpoints[0].Target()
	tg.ConnectTimeout = time.Minute
	tg.Deadline = 300 * time.Millisecond
	s := scanner.New(scanner.Options{Checks: checks.All()})
	var r *scanner.Result
	s.ScanTarget(context.Background(), tg, func(x *scanner.Result) { r = x })
	if r.Err == nil || r.Err.Kind != netx.KindDeadline {
		t.Errorf("err = %v, want kind %s", r.Err, netx.KindDeadline)
	}
}
