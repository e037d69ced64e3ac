package targets

import (
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// TestDerivedDeadline checks that a timeout longer than the default
// deadline, with no deadline set anywhere, derives the deadline instead of
// failing every target on a field nobody wrote, and that a deadline alone
// caps the default timeout.
func TestDerivedDeadline(t *testing.T) {
	dur := func(d time.Duration) *Duration { v := Duration(d); return &v }
	for _, c := range []struct {
		name              string
		yaml              string
		flags             Settings
		timeout, deadline time.Duration
	}{
		{"nothing set", "targets:\n  - host: a.example\n", Settings{}, scanner.DefaultConnectTimeout, scanner.DefaultDeadline},
		{"--timeout 2m", "targets:\n  - host: a.example\n", Settings{Timeout: dur(2 * time.Minute)}, 2 * time.Minute, 6 * time.Minute},
		{"defaults timeout 90s", "defaults:\n  timeout: 90s\ntargets:\n  - host: a.example\n", Settings{}, 90 * time.Second, 270 * time.Second},
		{"own timeout 1s", "targets:\n  - host: a.example\n    timeout: 1s\n", Settings{}, time.Second, scanner.DefaultDeadline},
		{"--deadline 5s", "targets:\n  - host: a.example\n", Settings{Deadline: dur(5 * time.Second)}, 5 * time.Second, 5 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := opts()
			o.Flags = c.flags
			f, err := Load(write(t, "t.yaml", c.yaml), o)
			if err != nil {
				t.Fatal(err)
			}
			if tg := f.Targets[0]; tg.ConnectTimeout != c.timeout || tg.Deadline != c.deadline {
				t.Errorf("timeout %s, deadline %s; want %s, %s", tg.ConnectTimeout, tg.Deadline, c.timeout, c.deadline)
			}
		})
	}
	// Line lists and arguments too.
	o := opts()
	o.Flags.Timeout = dur(2 * time.Minute)
	f, err := FromArgs([]string{"a.example", "b.example"}, o)
	if err != nil || f.Targets[1].Deadline != 6*time.Minute {
		t.Errorf("arguments with --timeout 2m: %v %+v", err, f)
	}
}

// TestTimeoutConflicts checks that a deadline written shorter than a
// timeout is reported once, where one of them is written, naming the
// other's origin.
func TestTimeoutConflicts(t *testing.T) {
	dur := func(d time.Duration) *Duration { v := Duration(d); return &v }
	three := "targets:\n  - host: a.example\n  - host: b.example\n  - host: c.example\n"
	for _, c := range []struct {
		name  string
		yaml  string
		flags Settings
		want  string
	}{
		{"both in defaults", "defaults:\n  timeout: 90s\n  deadline: 60s\n" + three, Settings{},
			"t.yaml:3:13: deadline: 1m0s is shorter than the timeout 1m30s"},
		{"defaults deadline, --timeout", "defaults:\n  deadline: 30s\n" + three, Settings{Timeout: dur(time.Minute)},
			"t.yaml:2:13: deadline: 30s is shorter than the timeout 1m0s (--timeout)"},
		{"own timeout, defaults deadline", "defaults:\n  deadline: 30s\ntargets:\n  - host: a.example\n    timeout: 45s\n", Settings{},
			"t.yaml:5:14: timeout: 45s is longer than the deadline 30s (defaults.deadline at line 2)"},
		{"flags only", three, Settings{Timeout: dur(2 * time.Minute), Deadline: dur(time.Minute)},
			"--deadline 1m0s is shorter than --timeout 2m0s"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := opts()
			o.Flags = c.flags
			p := write(t, "t.yaml", c.yaml)
			_, err := Load(p, o)
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if got := errorText(p, err); got != c.want {
				t.Errorf("error:\n  %s\nwant exactly (once):\n  %s", got, c.want)
			}
		})
	}
}
