package targets

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLoadLineList loads a 20,000-line list, the shape of a fleet
// inventory: the per-target cost of building settings dominates.
func BenchmarkLoadLineList(b *testing.B) {
	var sb strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&sb, "host%d.fleet.tlsaudit.test:%d\n", i, 443+i%3)
	}
	path := filepath.Join(b.TempDir(), "fleet.txt")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		f, err := Load(path, Options{})
		if err != nil || len(f.Targets) != 20000 {
			b.Fatalf("%v, %d targets", err, len(f.Targets))
		}
	}
}

// BenchmarkLoadZlintSkips loads a YAML file of 2,000 targets that each
// skip zlint's warning rules: every pattern naming zlint rules is checked
// against the rule list.
func BenchmarkLoadZlintSkips(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("targets:\n")
	for i := range 2000 {
		fmt.Fprintf(&sb, "  - host: host%d.fleet.tlsaudit.test\n    skip_checks: [\"zlint/w_*\"]\n", i)
	}
	path := filepath.Join(b.TempDir(), "fleet.yaml")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	o := opts()
	b.ReportAllocs()
	for b.Loop() {
		if f, err := Load(path, o); err != nil || len(f.Targets) != 2000 {
			b.Fatalf("%v", err)
		}
	}
}
