package discover_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/discover"
	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
)

const sample = "../testdata/sampleapp"

// rel strips the sample's path, so expectations read as the app's files.
func rel(file string) string { return strings.TrimPrefix(file, sample+"/") }

func run(t *testing.T, opts discover.Options) *discover.Discovery {
	t.Helper()
	opts.Checks = checks.All()
	opts.Now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	d, err := discover.Run(sample, opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func hostLines(d *discover.Discovery) []string {
	var out []string
	for _, h := range d.Hosts {
		var srcs []string
		for _, s := range h.Sources {
			srcs = append(srcs, fmt.Sprintf("%s:%d", rel(s.File), s.Line))
		}
		out = append(out, h.HostPort()+" "+strings.Join(srcs, " "))
	}
	return out
}

// TestSampleTargets asserts exactly which hosts the sample app yields and
// the lines that name each, with the lab's names kept as a user would
// keep them (*.test is dropped by default).
func TestSampleTargets(t *testing.T) {
	d := run(t, discover.Options{Keep: []string{"*.tlsaudit.test"}})
	want := []string{
		"app-pin-stale.tlsaudit.test:443 android/app/src/main/res/xml/network_security_config.xml:12",
		"cdn.shop-assets.com:443 web/src/api.js:8",
		"expired.tlsaudit.test:443 android/app/src/main/kotlin/com/example/shop/Network.kt:10 android/app/src/main/kotlin/com/example/shop/Network.kt:16",
		"good.tlsaudit.test:443 .env:2 ios/Runner/NetworkDelegate.swift:27 lib/config.dart:4 web/src/api.js:5",
		"legacy.shop-api.com:443 android/app/src/main/res/xml/network_security_config.xml:9 lib/config.dart:8 lib/config.dart:23",
		"partner.tlsaudit.test:443 android/app/src/main/res/xml/network_security_config.xml:19",
		"self-signed.tlsaudit.test:8443 backend/config.yaml:3 backend/main.go:13 lib/config.dart:5",
		"wrong-host.tlsaudit.test:443 ios/Runner/Info.plist:8",
	}
	if got := hostLines(d); !slices.Equal(got, want) {
		t.Errorf("hosts:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	cleartext := map[string]bool{}
	for _, h := range d.Hosts {
		cleartext[h.HostPort()] = h.CleartextOnly
	}
	if !cleartext["cdn.shop-assets.com:443"] || cleartext["legacy.shop-api.com:443"] {
		t.Errorf("cleartext-only hosts = %v; want cdn only (legacy is also named as an https domain)", cleartext)
	}
}

// TestSampleHostsNotFound lists what the sample holds that must not become
// a target, and why.
func TestSampleHostsNotFound(t *testing.T) {
	d := run(t, discover.Options{Keep: []string{"*.tlsaudit.test"}})
	got := map[string]bool{}
	for _, h := range d.Hosts {
		got[h.Host] = true
	}
	for host, why := range map[string]string{
		"secret.ignored-host.com":    "secrets/ is in .gitignore",
		"local.ignored-host.com":     ".env.local is in .gitignore",
		"build.output-host.com":      "build/ is build output",
		"npm.dependency-host.com":    "node_modules/ is dependencies",
		"test.fixture-host.com":      "test/ is tests",
		"xctest.fixture-host.com":    "RunnerTests/ is an Xcode test target",
		"generated.codegen-host.com": "*.g.dart is generated",
		"readme.not-read-host.com":   "README.md is not source",
		"staging.commented-host.com": "in a // comment",
		"old.commented-host.com":     "in /* */ and <!-- --> comments",
		"old.kotlin-host.com":        "in a Kotlin comment",
		"old.swift-host.com":         "in a Swift comment",
		"search.commented-host.com":  "in a YAML comment",
		"shop.deeplink-host.com":     "a deep-link filter, not a URL",
		"dynamic-host.com":           "built at run time ($region, ${region})",
		"schemas.android.com":        "an XML namespace",
		"www.apple.com":              "a DOCTYPE",
		"www.w3.org":                 "a namespace (drop list)",
		"json-schema.org":            "a schema (drop list)",
		"developer.android.com":      "documentation (drop list)",
		"developer.mozilla.org":      "documentation (drop list)",
		"dart.dev":                   "documentation (drop list)",
		"www.apache.org":             "a licence (drop list)",
		"api.example.com":            "an example domain",
		"fixtures.other.test":        ".test, not kept",
		"localhost":                  "loopback",
		"127.0.0.1":                  "loopback",
		"10.0.2.2":                   "the Android emulator's host alias",
		"203.0.113.10":               "a documentation address",
		"analytics.thirdparty.io":    "the tree's .tlsaudit-drop",
		"status.prose-host.com":      "a link inside a sentence (an error message, a string resource)",
		"help.shop-docs.com":         "the value of a documentation key (HELP_URL)",
	} {
		if got[host] || got[strings.TrimPrefix(host, "www.")] {
			t.Errorf("%s found; it must not be (%s)", host, why)
		}
	}
	for reason, host := range map[string]string{
		"dropped by " + sample + "/.tlsaudit-drop": "analytics.thirdparty.io",
		discover.DefaultDrops[0].Why:               "api.example.com",
		discover.DefaultDrops[1].Why:               "10.0.2.2",
	} {
		if !slices.Contains(d.Stats.Dropped[reason], host) {
			t.Errorf("dropped[%q] = %v, want %s in it", reason, d.Stats.Dropped[reason], host)
		}
	}
}

// TestDefaultDropsTest: without --keep, the lab's .test names go too.
func TestDefaultDropsTest(t *testing.T) {
	d := run(t, discover.Options{Drop: []string{"cdn.shop-assets.com"}})
	if got := hostLines(d); len(got) != 1 || !strings.HasPrefix(got[0], "legacy.shop-api.com:443 ") {
		t.Errorf("hosts = %v, want only legacy.shop-api.com", got)
	}
}

// sampleFindings is every code finding the sample must produce: file,
// line, check. Every other pattern in it (the safe look-alikes, comments,
// strings, skipped folders) must produce none.
var sampleFindings = []string{
	".env:7 code-tls-verification-disabled",
	"android/app/src/main/java/com/example/shop/LegacyWebView.java:15 code-tls-verification-disabled",
	"android/app/src/main/java/com/example/shop/LegacyWebView.java:22 code-hostname-verification-disabled",
	"android/app/src/main/kotlin/com/example/shop/Network.kt:23 code-tls-verification-disabled",
	"android/app/src/main/kotlin/com/example/shop/Network.kt:39 code-hostname-verification-disabled",
	"backend/config.yaml:6 code-tls-verification-disabled",
	"backend/main.go:10 code-tls-verification-disabled",
	"ios/Runner/NetworkDelegate.swift:5 code-tls-verification-disabled",
	"lib/api/client.dart:15 code-tls-verification-disabled",
	"lib/api/dev_client.dart:7 code-tls-verification-disabled",
	"lib/api/dev_client.dart:16 code-tls-verification-disabled",
	"web/src/api.js:13 code-tls-verification-disabled",
	"web/src/api.js:18 code-hostname-verification-disabled",
	"android/app/src/main/AndroidManifest.xml:12 code-cleartext-allowed",
	"android/app/src/main/res/xml/network_security_config.xml:8 code-cleartext-allowed",
	"android/app/src/main/res/xml/network_security_config.xml:21 code-user-ca-trusted",
	"ios/Runner/Info.plist:11 code-cleartext-allowed",
	"ios/Runner/Info.plist:21 code-cleartext-allowed",
	"lib/config.dart:8 code-cleartext-url",
	"lib/config.dart:23 code-cleartext-url", // Uri.http(Config.legacyHost) in two files: one finding
	"web/src/api.js:8 code-cleartext-url",
	"android/app/src/main/kotlin/com/example/shop/Network.kt:16 code-pinning",
	"android/app/src/main/res/xml/network_security_config.xml:13 code-pinning",
	"lib/api/client.dart:12 code-pinning",
}

func findingLines(d *discover.Discovery) []string {
	var out []string
	for _, f := range d.Findings {
		out = append(out, fmt.Sprintf("%s:%d %s", rel(f.Location.File), f.Location.Line, f.CheckID))
	}
	return out
}

func TestSampleFindings(t *testing.T) {
	d := run(t, discover.Options{Keep: []string{"*.tlsaudit.test"}})
	got := findingLines(d)
	if !slices.Equal(got, sampleFindings) {
		t.Errorf("findings:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(sampleFindings, "\n  "))
	}
	if len(d.CheckErrors) > 0 {
		t.Errorf("check errors: %v", d.CheckErrors)
	}
	// Every code check fires on the sample (the lab cannot show them).
	fired := map[string]bool{}
	for _, f := range d.Findings {
		fired[f.CheckID] = true
		if f.Message == "" || f.Location.Column == 0 {
			t.Errorf("finding %+v lacks a message or column", f)
		}
	}
	for _, c := range checks.All() {
		if c.Needs&scanner.NeedSource != 0 && !fired[c.ID] {
			t.Errorf("code check %s fires nowhere in the sample app", c.ID)
		}
	}
}

func TestSelectionAndTests(t *testing.T) {
	d := run(t, discover.Options{Selection: scanner.Selection{Skip: []string{"code-pinning", "code-cleartext-*"}}})
	for _, f := range d.Findings {
		if f.CheckID == "code-pinning" || strings.HasPrefix(f.CheckID, "code-cleartext") {
			t.Errorf("skipped check ran: %s", f.CheckID)
		}
	}
	d = run(t, discover.Options{IncludeTests: true, Keep: []string{"*.tlsaudit.test"}})
	got := findingLines(d)
	if !slices.Contains(got, "test/widget_test.dart:2 code-tls-verification-disabled") {
		t.Errorf("with IncludeTests, test/widget_test.dart is not read: %v", got)
	}
	found := false
	for _, h := range d.Hosts {
		found = found || h.Host == "xctest.fixture-host.com"
	}
	if !found {
		t.Error("with IncludeTests, ios/RunnerTests is not read")
	}
}

func TestSamplePins(t *testing.T) {
	d := run(t, discover.Options{Keep: []string{"*.tlsaudit.test"}})
	pem, err := os.ReadFile(sample + "/assets/certs/api_ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	byHost := map[string][]*appcode.PinSet{}
	for _, h := range d.Hosts {
		byHost[h.Host] = h.Pins
	}
	okhttp := byHost["expired.tlsaudit.test"]
	if len(okhttp) != 1 || !slices.Equal(okhttp[0].SPKI, []string{"DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDA=", "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCA="}) {
		t.Errorf("OkHttp pins = %+v", okhttp)
	}
	nsc := byHost["app-pin-stale.tlsaudit.test"]
	if len(nsc) != 1 || len(nsc[0].SPKI) != 2 || !nsc[0].Expires.Equal(time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC)) || nsc[0].Where.Line != 13 {
		t.Errorf("pin-set = %+v", nsc)
	}
	dart := byHost["good.tlsaudit.test"]
	if len(dart) != 1 || len(dart[0].Certs) != 1 || dart[0].Unresolved != "" {
		t.Fatalf("Dart pins = %+v", dart)
	}
	if !strings.Contains(string(pem), "BEGIN CERTIFICATE") || !certinfo.ChainMatchesPins(dart[0].Certs, nil, dart[0].Certs) {
		t.Error("the Dart pin is not the asset's certificate")
	}
	for _, h := range []string{"legacy.shop-api.com", "partner.tlsaudit.test", "self-signed.tlsaudit.test", "wrong-host.tlsaudit.test"} {
		if len(byHost[h]) != 0 {
			t.Errorf("%s has pins %+v; none apply to it", h, byHost[h])
		}
	}
}

func TestNotADirectory(t *testing.T) {
	if _, err := discover.Run(sample+"/.env", discover.Options{}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("err = %v", err)
	}
	if _, err := discover.Run(sample, discover.Options{Drop: []string{"not a host!"}}); err == nil || !strings.HasPrefix(err.Error(), "--drop") {
		t.Errorf("err = %v", err)
	}
}

func TestDefaultDropsParse(t *testing.T) {
	// Every default pattern must be valid: a typo would silently keep a
	// host the list means to drop.
	if err := discover.CheckDefaultDrops(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkDiscoverSample measures a whole discovery of the sample app.
func BenchmarkDiscoverSample(b *testing.B) {
	opts := discover.Options{Checks: checks.All(), Keep: []string{"*.tlsaudit.test"}}
	for b.Loop() {
		if _, err := discover.Run(sample, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// TestExclude: the targets file being written is never read back as
// source, even inside the tree.
func TestExclude(t *testing.T) {
	d := run(t, discover.Options{Keep: []string{"*.tlsaudit.test"}, Exclude: []string{sample + "/.env"}})
	for _, h := range d.Hosts {
		for _, s := range h.Sources {
			if rel(s.File) == ".env" {
				t.Errorf("%s names %s though it is excluded", s, h.Host)
			}
		}
	}
	if got := findingLines(d); slices.Contains(got, ".env:7 code-tls-verification-disabled") {
		t.Error("an excluded file was checked")
	}
}
