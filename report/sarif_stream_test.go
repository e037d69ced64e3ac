package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/spill"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// TestSARIFFromDiskIsTheGolden writes the fixture with every finding and
// notification moved to the spill file on disk and read back (raw bytes
// such as a subject's \xff included), and checks the document is the
// golden one byte for byte.
func TestSARIFFromDiskIsTheGolden(t *testing.T) {
	var buf bytes.Buffer
	w := newSARIF(textsafe.NewJSONWriter(&buf), fixtureMeta()) // as New does
	w.spill = spill.New(1)
	rs := fixtureResults(t)
	for _, r := range rs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(fixtureSummary(rs)); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "fixture.sarif.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("the document written from disk differs from the golden:\n%s", buf.Bytes())
	}
}

// TestMergedSARIFLocationsStayInTheRoot: the files a report read back
// names (merge's input, from another machine) become SARIF locations only
// when they are paths inside the SARIF root (then cleaned, never with
// ".."); file:// URIs, paths climbing out with "..", and absolute paths
// elsewhere are replaced by OutsideRootURI.
func TestMergedSARIFLocationsStayInTheRoot(t *testing.T) {
	root := t.TempDir()
	mk := func(i int, file string) ResultJSON {
		r := ToJSON(&scanner.Result{
			Target: &scanner.Target{Index: i, Name: "h", Host: "h.example", Port: 443, ServerName: "h.example",
				Source: fileloc.Location{File: file, Line: 2, Column: 3}, Sources: []fileloc.Location{{File: file, Line: 1}, {File: file, Line: 4}}},
			Start: fixtureStart,
			Findings: []scanner.Finding{{CheckID: "cert-expired", Severity: scanner.Critical, Message: "expired",
				Location: fileloc.Location{File: file, Line: 9}}, {CheckID: "chain-incomplete", Severity: scanner.High, Message: "incomplete"}},
		}, nil)
		return r
	}
	for _, c := range []struct{ file, want string }{
		{"targets.yaml", "targets.yaml"},
		{"prod/targets.yaml", "prod/targets.yaml"},
		{filepath.Join(root, "prod", "t.yaml"), "prod/t.yaml"},
		{"file:///etc/passwd", OutsideRootURI},
		{"https://evil.example/x", OutsideRootURI},
		{"/etc/passwd", OutsideRootURI},
		{"../../etc/passwd", OutsideRootURI},
		{"prod/../../x.yaml", OutsideRootURI},
		{"prod/../x.yaml", "x.yaml"},
		{filepath.Join(root, "..", "x.yaml"), OutsideRootURI},
		{`C:\Windows\win.ini`, OutsideRootURI},
		// Backslashes separate folders on Windows, where a SARIF viewer
		// would climb out of the root through them.
		{`prod\..\..\x.yaml`, OutsideRootURI},
		{`prod/..\..\x.yaml`, OutsideRootURI},
		{`..\x.yaml`, OutsideRootURI},
		{`\\server\share\x.yaml`, OutsideRootURI},
		{`prod\t.yaml`, "prod/t.yaml"},
	} {
		var buf bytes.Buffer
		meta := fixtureMeta()
		meta.SourceRoot = root
		if !filepath.IsAbs(c.file) && !strings.Contains(c.file, ":") {
			// Relative paths are from the working directory, as the
			// scan's were: the test's is the root.
			t.Chdir(root)
		}
		w := newSARIF(&buf, meta)
		if err := w.WriteJSON(mk(0, c.file)); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(NewSummary()); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Contains(out, "passwd") || strings.Contains(out, "file://") || strings.Contains(out, "evil.example") || strings.Contains(out, "..") {
			t.Errorf("%s: copied into the SARIF", c.file)
		}
		var doc any
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		uris := valuesOf(doc, "uri")
		if len(uris) < 4 {
			t.Fatalf("%s: only %d locations", c.file, len(uris))
		}
		for _, uri := range uris {
			if uri != c.want {
				t.Errorf("%s: location %q, want %q", c.file, uri, c.want)
			}
		}
	}
}

// valuesOf collects the string values of every member named key in v.
func valuesOf(v any, key string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == key {
				out = append(out, s)
			}
			out = append(out, valuesOf(x, key)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, valuesOf(x, key)...)
		}
	}
	return out
}
