package cli

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the README's generated sections")

// TestReadmeChecks keeps the README's check table generated from the same
// metadata as `tlsaudit checks`, so the docs cannot drift. Run with
// -update-readme to rewrite it.
func TestReadmeChecks(t *testing.T) {
	const path = "../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	begin := []byte("<!-- checks:begin")
	end := []byte("<!-- checks:end -->")
	i, j := bytes.Index(data, begin), bytes.Index(data, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the checks:begin/end markers")
	}
	i += bytes.IndexByte(data[i:], '\n') + 1
	var table strings.Builder
	if err := writeChecksMarkdown(&table, checks.All()); err != nil {
		t.Fatal(err)
	}
	if string(data[i:j]) == table.String() {
		return
	}
	if *updateReadme {
		out := append(append(append([]byte{}, data[:i]...), table.String()...), data[j:]...)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md check table is out of date; run go test ./cli -run TestReadmeChecks -update-readme\nwant:\n%s", table.String())
}
