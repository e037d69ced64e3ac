package targets

import (
	"strings"
	"testing"
	"time"
)

// TestNumericRanges checks every numeric setting of a targets file
// against its range, and that whole numbers (ports above all) are written
// in decimal digits: values past a range used to overflow (expiry days and
// HSTS seconds become a time.Duration) and find nothing, and YAML reads
// +443, 0x1bb and 0443 (octal) as numbers.
func TestNumericRanges(t *testing.T) {
	target := func(field string) string { return "targets:\n  - host: a.example\n    " + field + "\n" }
	checkLoadErrors(t, []struct{ name, yaml, want string }{
		{"expiry days overflowing", target("expiry_warn_days: 106752"), "t.yaml:3:23: expiry_warn_days: must be at most 36500 (100 years), got 106752"},
		{"expiry days in defaults", "defaults:\n  expiry_warn_days: 36501\ntargets:\n  - host: a\n", "t.yaml:2:21: expiry_warn_days: must be at most 36500"},
		{"negative expiry days", target("expiry_warn_days: -1"), "t.yaml:3:23: expiry_warn_days: must not be negative, got -1"},
		{"hsts min age wrapping", target("hsts_min_age: 9223372037"), "t.yaml:3:19: hsts_min_age: must be at most 315360000 seconds (ten years), got 9223372037"},
		{"hsts min age past int64", target("hsts_min_age: 99999999999999999999"), "t.yaml:3:19: hsts_min_age: expected a whole number"},
		{"timeout", target("timeout: 100000h"), "t.yaml:3:14: timeout: must be at most 24h0m0s, got 100000h0m0s"},
		{"deadline", "defaults:\n  deadline: 25h\ntargets:\n  - host: a\n", "t.yaml:2:13: deadline: must be at most 24h0m0s, got 25h0m0s"},
		{"concurrency zero", "defaults:\n  concurrency: 0\ntargets:\n  - host: a\n", "t.yaml:2:16: concurrency: must be from 1 to 10000, got 0"},
		{"concurrency huge", "defaults:\n  concurrency: 576460752303423488\ntargets:\n  - host: a\n", "t.yaml:2:16: concurrency: must be from 1 to 10000, got 576460752303423488"},
		{"port with a sign", target("port: +443"), `t.yaml:3:11: port: expected a whole number in decimal digits, got "+443"`},
		{"port in hex", target("port: 0x1bb"), `t.yaml:3:11: port: expected a whole number in decimal digits, got "0x1bb"`},
		{"port in octal", target("port: 0o17"), `t.yaml:3:11: port: expected a whole number in decimal digits, got "0o17"`},
		{"port with underscores", target("port: 4_43"), `t.yaml:3:11: port: expected a whole number`},
		{"port too big", target("port: 65536"), "t.yaml:3:11: port: must be from 1 to 65535, got 65536"},
		{"negative port", target("port: -443"), "t.yaml:3:11: port: must be from 1 to 65535, got -443"},
		{"http port with a sign", target("http_port: +80"), `t.yaml:3:16: http_port: expected a whole number in decimal digits, got "+80"`},
		{"http port zero", target("http_port: 0"), "t.yaml:3:16: http_port: must be from 1 to 65535, got 0"},
		{"host port with a sign", "targets:\n  - host: a.example:+1\n", `t.yaml:2:11: host: port "+1" must be a number from 1 to 65535`},
		{"host port with a space", "targets:\n  - host: 'a.example: 1'\n", `t.yaml:2:11: host: port " 1" must be a number from 1 to 65535`},
		{"bracketed host port with a sign", "targets:\n  - host: '[::1]:+443'\n", `t.yaml:2:11: host: port "+443" must be a number from 1 to 65535`},
		{"URL port with a sign", "targets:\n  - host: https://a.example:+1/\n", `t.yaml:2:11: host: "https://a.example:+1/" is not a valid URL`},
		{"http URL port zero", "targets:\n  - host: http://a.example:0/\n", `t.yaml:2:11: host: port "0" must be a number from 1 to 65535`},
		{"source line with a sign", target("sources: [app.go:+3]"), `t.yaml:3:15: sources: "app.go:+3" is not file:line`},
	})
	// The largest values in range load.
	for _, ok := range []string{"expiry_warn_days: 36500", "expiry_warn_days: 0", "hsts_min_age: 315360000", "timeout: 24h", "port: 65535", "port: 0443", "http_port: 1"} {
		if _, err := Load(write(t, "t.yaml", target(ok)), opts()); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	f, err := Load(write(t, "t.yaml", target("port: 0443")), opts())
	if err == nil && f.Targets[0].Port != 443 {
		t.Errorf("port: 0443 is port %d", f.Targets[0].Port)
	}
}

// TestNumericFlagRanges checks the same ranges for the settings given as
// flags, with messages that name the flags.
func TestNumericFlagRanges(t *testing.T) {
	days, age, zero := 106752, 9223372037, 0
	long := Duration(100000 * time.Hour)
	for _, c := range []struct {
		set  func(*Settings)
		want string
	}{
		{func(s *Settings) { s.ExpiryWarnDays = &days }, "--expiry-days: must be at most 36500 (100 years), got 106752"},
		{func(s *Settings) { s.HSTSMinAge = &age }, "--hsts-min-age: must be at most 315360000 seconds (ten years), got 9223372037"},
		{func(s *Settings) { s.Timeout = &long }, "--timeout: must be at most 24h0m0s, got 100000h0m0s"},
		{func(s *Settings) { s.Deadline = &long }, "--deadline: must be at most 24h0m0s"},
		{func(s *Settings) { s.HTTPPort = &zero }, "--http-port: must be from 1 to 65535, got 0"},
	} {
		o := opts()
		c.set(&o.Flags)
		if err := CheckFlags(o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	for _, bad := range []string{"a.example:+1", "a.example:0x1", "https://a.example:+1/", "a.example:99999999999999999999999"} {
		if _, err := FromArgs([]string{bad}, opts()); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	for _, bad := range []string{"+1/2", "1/+2", "1/0x2", "-1/2"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("shard %s: no error", bad)
		}
	}
}
