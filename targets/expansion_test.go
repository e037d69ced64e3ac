package targets

import (
	"cmp"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// nestedMerges is a file of merge keys nested levels deep, each merging
// the level below width times: width^levels mappings from a few hundred
// bytes.
func nestedMerges(levels, width int) string {
	var b strings.Builder
	b.WriteString("m0: &m0 {port: 1, timeout: 1s}\n")
	for i := 1; i <= levels; i++ {
		refs := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*m%d, ", i-1), width), ", ")
		fmt.Fprintf(&b, "m%d: &m%d {<<: [%s]}\n", i, i, refs)
	}
	fmt.Fprintf(&b, "targets:\n  - <<: *m%d\n    host: a.example\n", levels)
	return b.String()
}

// aliasShapes are files whose aliases or merge keys expand far beyond
// their size, each with the line and column of the alias (or mapping) the
// budget runs out in, when it is worth pinning down.
func aliasShapes() []struct{ name, yaml, at string } {
	var headers, accept, checks strings.Builder
	headers.WriteString("defaults:\n  http_headers: &h {")
	for i := range 300 {
		fmt.Fprintf(&headers, "X-%d: v, ", i)
	}
	headers.WriteString("X: v}\ntargets:\n")
	accept.WriteString("defaults:\n  accept: &a [")
	accept.WriteString(strings.Repeat("{check: cert-*, until: 2099-01-01, reason: r}, ", 100))
	accept.WriteString("{check: cert-*, until: 2099-01-01, reason: r}]\ntargets:\n")
	checks.WriteString("defaults:\n  checks: &c [" + strings.TrimSuffix(strings.Repeat("cert-*, ", 300), ", ") + "]\ntargets:\n")
	for i := range 1000 {
		fmt.Fprintf(&headers, "  - {host: h%d, http_headers: *h}\n", i)
		fmt.Fprintf(&accept, "  - {host: h%d, accept: *a}\n", i)
		fmt.Fprintf(&checks, "  - {host: h%d, checks: *c}\n", i)
	}
	// Merge keys inside http_headers, which the yaml package decodes
	// itself.
	var hm strings.Builder
	hm.WriteString("defaults:\n  http_headers:\n    <<: &h0 {X-A: a, X-B: b}\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&hm, "    <<: &h%d {<<: [%s]}\n", i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*h%d, ", i-1), 9), ", "))
	}
	hm.WriteString("targets:\n  - host: a.example\n")
	return []struct{ name, yaml, at string }{
		{"nested merge keys", nestedMerges(9, 9), "t.yaml:12:9"},
		{"aliased headers", headers.String(), ""},
		{"aliased accept list", accept.String(), ""},
		{"aliased checks", checks.String(), ""},
		{"merge keys in http_headers", hm.String(), "t.yaml:3:5"},
	}
}

// TestAliasExpansionBounded loads files whose aliases and merge keys
// expand to millions of values (or never finish, unbounded): each load
// must stop with an error saying where, having visited no more nodes than
// the file's budget allows and allocated far less than the hundreds of
// megabytes the expansion would take.
func TestAliasExpansionBounded(t *testing.T) {
	for _, c := range aliasShapes() {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, "t.yaml", c.yaml)
			l := newLoader("t.yaml", p, opts())
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := l.yamlFile([]byte(c.yaml))
			runtime.ReadMemStats(&after)
			at := regexp.MustCompile(`(?m)^t\.yaml:(\d+):(\d+): aliases and merge keys expand the file past \d+ values`).FindStringSubmatch(fmt.Sprint(err))
			if at == nil || c.at != "" && c.at != fmt.Sprintf("t.yaml:%s:%s", at[1], at[2]) {
				t.Fatalf("error %v, want one at %s", err, cmp.Or(c.at, "a position"))
			}
			if budget := decodeBudget(len(c.yaml)); l.decoded > budget+budgetBase {
				t.Errorf("decoded %d nodes, budget %d", l.decoded, budget)
			}
			if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 64 {
				t.Errorf("%d-byte file: allocated %d MB", len(c.yaml), mb)
			}
			t.Logf("%d bytes: %d nodes visited, %d MB allocated", len(c.yaml), l.decoded, (after.TotalAlloc-before.TotalAlloc)>>20)
		})
	}
}

// TestMergeDepthBounded refuses merge keys chained deeper than maxDepth,
// where the chain goes too deep.
func TestMergeDepthBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("targets:\n  - &m0 {host: h0.example}\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  - &m%d {<<: *m%d, host: h%d.example}\n", i, i-1, i)
	}
	checkLoadErrors(t, []struct{ name, yaml, want string }{
		{"chain of 40", b.String(), "t.yaml:34:15: mappings and merge keys nest more than 32 deep"},
	})
}

// TestMergedTemplatesLoad checks that the budget leaves room for the way
// merge keys are used: every target of a fleet file merging a template
// that sets most settings.
func TestMergedTemplatesLoad(t *testing.T) {
	var b strings.Builder
	b.WriteString(`targets:
  - &base
    host: template.example
    port: 8443
    timeout: 5s
    deadline: 30s
    expiry_warn_days: 20
    checks: ["cert-*", "chain-*", "hostname-*", "tls-*", "hsts-*"]
    skip_checks: ["cert-expiring-soon", "zlint/w_*"]
    all_addresses: true
    tags: [prod, fleet, eu]
    profile: intermediate
    protocol: https
    http_port: 80
    http_path: /health
    http_method: HEAD
    hsts_min_age: 31536000
    http_headers: {Host: api.example, X-Api-Key: k}
    accept:
      - {check: cert-expiring-soon, until: 2099-01-31, reason: batched renewals}
      - {check: hsts-*, until: 2099-01-31, reason: internal only}
`)
	for i := range 5000 {
		fmt.Fprintf(&b, "  - <<: *base\n    host: h%d.example\n", i)
	}
	l := newLoader("t.yaml", "t.yaml", opts())
	f, err := l.yamlFile([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Targets) != 5001 {
		t.Fatalf("%d targets", len(f.Targets))
	}
	if l.decoded > 2*b.Len() {
		t.Errorf("%d bytes decode to %d nodes, more than the two per byte the budget is sized for", b.Len(), l.decoded)
	}
	t.Logf("%d bytes, %d nodes visited, budget %d", b.Len(), l.decoded, decodeBudget(b.Len()))
}

// repeatedDefaults is a file whose defaults set n entries of one setting
// (written by entry) and whose targets each add own, if not empty.
func repeatedDefaults(setting, entry string, n, targets int, own string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "defaults:\n  %s:\n", setting)
	for i := range n {
		fmt.Fprintf(&b, "    "+entry+"\n", i)
	}
	b.WriteString("targets:\n")
	for i := range targets {
		fmt.Fprintf(&b, "  - {host: h%d.example%s}\n", i, own)
	}
	return b.String()
}

// TestRepeatedSettingsBounded checks what building targets copies out of
// the defaults: lists the targets only repeat are shared, and copies (a
// target's own accept list after the defaults', pins, headers) are
// bounded by the file's size, without aliases, where a few dozen
// kilobytes used to build a hundred megabytes or more.
func TestRepeatedSettingsBounded(t *testing.T) {
	alloc := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) >> 20
	}
	const acceptItem = "- {check: cert-*, until: 2099-01-01, reason: r%d}"
	shared := repeatedDefaults("accept", acceptItem, 500, 1000, "")
	var f *File
	var err error
	mb := alloc(func() { f, err = Load(write(t, "t.yaml", shared), opts()) })
	if err != nil {
		t.Fatal(err)
	}
	if a, b := f.Targets[0].Accept, f.Targets[999].Accept; len(a) != 500 || &a[0] != &b[0] {
		t.Errorf("the defaults' accept list is not shared: %d items", len(a))
	}
	if mb > 16 {
		t.Errorf("%d bytes of defaults for 1000 targets: %d MB allocated", len(shared), mb)
	}
	for _, c := range []struct{ name, yaml string }{
		{"own accept after the defaults'", repeatedDefaults("accept", acceptItem, 500, 1000, ", accept: [{check: hsts-*, until: 2099-01-01, reason: r}]")},
		{"headers", repeatedDefaults("http_headers", "X-%d: v", 500, 1000, "")},
		{"pins", repeatedDefaults("pins", "- sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= # %d", 500, 1000, "")},
	} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			mb := alloc(func() { _, err = Load(write(t, "t.yaml", c.yaml), opts()) })
			if err == nil || !regexp.MustCompile(`(?m)^\S+t\.yaml:\d+:5: the settings every target repeats .* add up to more than \d+ entries`).MatchString(err.Error()) {
				t.Errorf("error %v", err)
			}
			if mb > 64 {
				t.Errorf("%d-byte file: %d MB allocated", len(c.yaml), mb)
			}
		})
	}
}
