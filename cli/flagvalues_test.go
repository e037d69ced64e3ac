package cli

import (
	"strings"
	"testing"
)

// TestNumericFlagRanges gives each numeric flag a value out of its range:
// each is a usage error naming the flag, before anything is dialed. (The
// target is a closed loopback port, so a value let through costs no
// network.)
func TestNumericFlagRanges(t *testing.T) {
	const target = "127.0.0.1:1"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"scan", "--concurrency", "0", target}, "--concurrency: must be from 1 to 10000, got 0"},
		{[]string{"scan", "--concurrency", "10001", target}, "--concurrency: must be from 1 to 10000, got 10001"},
		{[]string{"scan", "--concurrency", "-1", target}, "--concurrency: must be from 1 to 10000, got -1"},
		{[]string{"scan", "--expiry-days", "106752", target}, "--expiry-days: must be at most 36500 (100 years), got 106752"},
		{[]string{"scan", "--hsts-min-age", "9223372037", target}, "--hsts-min-age: must be at most 315360000 seconds (ten years), got 9223372037"},
		{[]string{"scan", "--timeout", "100000h", target}, "--timeout: must be at most 24h0m0s, got 100000h0m0s"},
		{[]string{"scan", "--deadline", "25h", target}, "--deadline: must be at most 24h0m0s, got 25h0m0s"},
		{[]string{"scan", "--http-port", "65536", target}, "--http-port: must be from 1 to 65535, got 65536"},
		{[]string{"scan", "127.0.0.1:+1"}, `argument 1: port "+1" must be a number from 1 to 65535`},
		{[]string{"scan", "https://127.0.0.1:+1/"}, `argument 1: "https://127.0.0.1:+1/" is not a valid URL`},
		{[]string{"scan", "--shard", "+1/2", target}, `--shard: expected K/N such as 2/8, got "+1/2"`},
		{[]string{"pin", "--timeout", "25h", target}, "--timeout: must be at most 24h0m0s, got 25h0m0s"},
		// Whole numbers in decimal digits, as in targets files: strconv's
		// base 0 would read these as 5, 16, 80, 15 and 10.
		{[]string{"scan", "--expiry-days", "+5", target}, `invalid argument "+5" for "--expiry-days" flag`},
		{[]string{"scan", "--expiry-days", "0x10", target}, `invalid argument "0x10" for "--expiry-days" flag`},
		{[]string{"scan", "--http-port", "0x50", target}, `invalid argument "0x50" for "--http-port" flag`},
		{[]string{"scan", "--hsts-min-age", "0o17", target}, `invalid argument "0o17" for "--hsts-min-age" flag`},
		{[]string{"scan", "--concurrency", "1_0", target}, `invalid argument "1_0" for "--concurrency" flag`},
		{[]string{"scan", "--concurrency", "99999999999999999999", target}, `invalid argument "99999999999999999999" for "--concurrency" flag`},
		{[]string{"lab", "--base-port", "+9400", "--only", "nosuch"}, `invalid argument "+9400" for "--base-port" flag`},
	} {
		code, _, errOut := run(t, "", c.args...)
		if code != ExitUsage || !strings.Contains(errOut, "tlsaudit: error: "+c.want) {
			t.Errorf("%v: exit %d, want %d and %q\n%s", c.args, code, ExitUsage, c.want, errOut)
		}
	}
}

// TestProgressValueAfterSpace checks that "--progress never" (a space,
// not an =) is refused with a hint, not read as a bare --progress and a
// target named "never".
func TestProgressValueAfterSpace(t *testing.T) {
	for _, args := range [][]string{
		// --expiry-days -1 stops a scan that took "never" for a host
		// before it looks the name up.
		{"scan", "--progress", "never", "127.0.0.1:1", "--expiry-days", "-1"},
		{"scan", "127.0.0.1:1", "--progress", "auto", "--expiry-days", "-1"},
		{"demo", "--progress", "always", "--only", "nosuch"},
	} {
		code, _, errOut := run(t, "", args...)
		mode := args[2]
		if args[1] != "--progress" {
			mode = args[3]
		}
		want := "tlsaudit: error: --progress " + mode + ": write --progress=" + mode + " "
		if code != ExitUsage || !strings.Contains(errOut, want) {
			t.Errorf("%v: exit %d, want %d and %q\n%s", args, code, ExitUsage, want, errOut)
		}
	}
	// A bare --progress before a host, and a mode after "--" (a target),
	// are not refused.
	for _, args := range [][]string{
		{"scan", "--progress", "127.0.0.1:1", "--expiry-days", "-1"},
		{"scan", "--expiry-days", "-1", "--", "--progress", "never"},
	} {
		if code, _, errOut := run(t, "", args...); code != ExitUsage || strings.Contains(errOut, "write --progress=") || !strings.Contains(errOut, "--expiry-days: must not be negative") {
			t.Errorf("%v: exit %d\n%s", args, code, errOut)
		}
	}
}
