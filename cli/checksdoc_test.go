package cli

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the generated part of docs/checks.md")

// TestChecksDoc keeps the check table of docs/checks.md generated from the
// same metadata as `tlsaudit checks --format markdown`, so the docs cannot
// drift. Run go test ./cli -run TestChecksDoc -update-docs to rewrite it.
func TestChecksDoc(t *testing.T) {
	const path = "../docs/checks.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	begin := []byte("<!-- checks:begin")
	end := []byte("<!-- checks:end -->")
	i, j := bytes.Index(data, begin), bytes.Index(data, end)
	if i < 0 || j < i {
		t.Fatal("docs/checks.md lacks the checks:begin/end markers")
	}
	i += bytes.IndexByte(data[i:], '\n') + 1
	var table strings.Builder
	if err := writeChecksMarkdown(&table, checks.All()); err != nil {
		t.Fatal(err)
	}
	if string(data[i:j]) == table.String() {
		return
	}
	if *updateDocs {
		out := append(append(append([]byte{}, data[:i]...), table.String()...), data[j:]...)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("docs/checks.md check table is out of date; run go test ./cli -run TestChecksDoc -update-docs\nwant:\n%s", table.String())
}
