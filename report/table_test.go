package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// TestTableWidths renders the fixture at common terminal widths, plain
// and --verbose, compares each with its golden file and checks that no
// line is wider than asked, which the golden files alone would not catch
// when regenerated.
func TestTableWidths(t *testing.T) {
	for _, width := range []int{80, 120, 200} {
		for _, verbose := range []bool{false, true} {
			name := fmt.Sprintf("fixture.table-%d.golden", width)
			if verbose {
				name = fmt.Sprintf("fixture.table-%d-verbose.golden", width)
			}
			t.Run(name, func(t *testing.T) {
				got := render(t, "table", Options{Width: width, Verbose: verbose})
				assertWidth(t, got, width)
				golden := filepath.Join("testdata", name)
				if *update {
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./report -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("output differs from %s; run go test ./report -update and review the diff\ngot:\n%s", golden, got)
				}
			})
		}
	}
}

// TestTableNarrow lays the table out on terminals too narrow for its
// columns: the message then goes under its severity, and still no line
// is wider than asked (below MinWidth, MinWidth).
func TestTableNarrow(t *testing.T) {
	for _, width := range []int{MinWidth, 30, 40, 50} {
		for _, verbose := range []bool{false, true} {
			assertWidth(t, render(t, "table", Options{Width: width, Verbose: verbose}), width)
		}
	}
	assertWidth(t, render(t, "table", Options{Width: 3}), MinWidth)
}

func assertWidth(t *testing.T, out []byte, width int) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		if w := runewidth.StringWidth(line); w > width {
			t.Errorf("width %d: line %d is %d columns: %q", width, i+1, w, line)
		}
	}
}

// TestTableOrderAndFacts checks the shape the golden files show: the
// summary first, the gate's verdict with its reasons, targets worst
// first, the protocols fact only under --verbose, and a clean target on
// the closing line rather than a group of its own.
func TestTableOrderAndFacts(t *testing.T) {
	out := string(render(t, "table", Options{Width: 120}))
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "Targets   3 scanned, 3 unreachable or failed") || !strings.Contains(out, "Gate      FAILED: worst finding: critical cert-expired on old; first target not scanned") {
		t.Errorf("summary not first:\n%s", out)
	}
	order := []string{"\nold  ", "\nlegacy  ", "\nevil", "\napp (source)", "\ndown  ", "\nnxdomain  ", "\nno findings: api"}
	at := 0
	for _, o := range order {
		i := strings.Index(out, o)
		if i < at {
			t.Fatalf("%q out of order (at %d, after %d):\n%s", o, i, at, out)
		}
		at = i
	}
	if strings.Contains(out, "protocols") || strings.Contains(out, "TLS_ECDHE") {
		t.Errorf("facts without --verbose:\n%s", out)
	}
	verbose := string(render(t, "table", Options{Width: 120, Verbose: true}))
	for _, want := range []string{"protocols", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "chain 0", "api  192.0.2.1:443  TLS 1.3\n  ok "} {
		if !strings.Contains(verbose, want) {
			t.Errorf("--verbose lacks %q:\n%s", want, verbose)
		}
	}
	// An accepted finding comes after the ones that count, and is not
	// coloured.
	colored := string(render(t, "table", Options{Width: 120, Color: true}))
	if !strings.Contains(colored, "  HIGH       hostname-mismatch") || strings.Index(out, "LOW        zlint") > strings.Index(out, "HIGH       hostname-mismatch") {
		t.Errorf("accepted finding coloured or out of place:\n%s", colored)
	}
	if !strings.Contains(colored, "\x1b[1;31mFAILED\x1b[0m") {
		t.Errorf("failed gate not coloured:\n%s", colored)
	}
}

// TestTableMinSeverity keeps a target whose findings were all below
// --min-severity from being called clean.
func TestTableMinSeverity(t *testing.T) {
	out := string(render(t, "table", Options{MinSeverity: scanner.High}))
	if !strings.Contains(out, "no findings at or above high: api") {
		t.Errorf("table:\n%s", out)
	}
}

func TestWrap(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  []string
	}{
		{"", 10, []string{""}},
		{"a bb ccc", 4, []string{"a bb", "ccc"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"x abcdefghij", 4, []string{"x", "abcd", "efgh", "ij"}},
		{"日本語テキスト", 5, []string{"日本", "語テ", "キス", "ト"}},
	} {
		if got := wrap(c.in, c.width); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

// TestReadmeTableExample keeps the README's example table true: every
// line of it, up to its "...", is the fixture's table at 80 columns, in
// order, with none of the fixture's lines skipped but whole findings.
func TestReadmeTableExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "$ tlsaudit scan -f targets.yaml --discover ./app\n")
	block, _, ok2 := strings.Cut(block, "\n...\n")
	if !ok || !ok2 {
		t.Fatal("README.md lacks its example table")
	}
	golden := strings.Split(string(render(t, "table", Options{Width: 80})), "\n")
	i := 0
	for _, line := range strings.Split(block, "\n") {
		for i < len(golden) && golden[i] != line {
			i++
		}
		if i == len(golden) {
			t.Fatalf("README example line %q is not in the table at 80 columns (in order):\n%s", line, strings.Join(golden, "\n"))
		}
		i++
	}
}
