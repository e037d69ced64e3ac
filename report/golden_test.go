package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// render writes the fixture results in format.
func render(t *testing.T, format string, opts Options) []byte {
	t.Helper()
	return renderResults(t, format, fixtureMeta(), opts, fixtureResults(t))
}

// renderResults writes rs in format, closed with their summary.
func renderResults(t *testing.T, format string, meta Meta, opts Options, rs []*scanner.Result) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(format, &buf, meta, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(fixtureSummary(rs)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			got := render(t, format, Options{})
			golden := filepath.Join("testdata", "fixture."+format+".golden")
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

// TestNoRawControlBytes checks that hostile strings from servers are
// escaped in the table and never reach the terminal raw, with and without
// colour.
func TestNoRawControlBytes(t *testing.T) {
	for _, color := range []bool{false, true} {
		out := string(render(t, "table", Options{Color: color}))
		if color {
			// Our own colour codes are the only escapes allowed.
			for _, code := range []string{colorCritical, colorHigh, colorMedium, colorLow, colorInfo, colorOK, colorError} {
				out = strings.ReplaceAll(out, "\x1b["+code+"m", "")
			}
			out = strings.ReplaceAll(out, "\x1b[0m", "")
		}
		for _, bad := range []string{"\x1b", "\x07", "\u202e", "\xff"} {
			if strings.Contains(out, bad) {
				t.Errorf("color=%v: table contains raw %q", color, bad)
			}
		}
		if !strings.Contains(out, `evil\x1b[2J\nname`) || !strings.Contains(out, `\u202e`) {
			t.Errorf("color=%v: escaped forms missing:\n%s", color, out)
		}
		if color && !strings.Contains(string(render(t, "table", Options{Color: true})), "\x1b[1;31mCRITICAL") {
			t.Error("colour requested but severity not coloured")
		}
	}
}

func TestJSONValid(t *testing.T) {
	var doc struct {
		SchemaVersion string       `json:"schema_version"`
		Results       []ResultJSON `json:"results"`
		Summary       Summary      `json:"summary"`
	}
	if err := json.Unmarshal(render(t, "json", Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != SchemaVersion || len(doc.Results) != 7 || doc.Summary.Errors != 3 || doc.Summary.Findings["critical"] != 2 {
		t.Errorf("doc = %+v", doc)
	}
	if doc.Results[1].Status != "findings" || doc.Results[2].Error.Kind != "connect-timeout" || doc.Results[0].Chain[0].SHA256 == "" {
		t.Errorf("results = %+v", doc.Results)
	}
	// The enumeration matrix: versions in order, suites in the server's
	// order with key-exchange facts, and a failed handshake shown with
	// the findings enumeration still produced.
	if e := doc.Results[0].Enumeration; e == nil || len(e.Protocols) != 5 || e.Protocols[3].Version != "TLS 1.2" ||
		e.Protocols[3].SuitePreference != "server" || e.Protocols[3].Suites[0].Name != "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" ||
		e.Protocols[3].Suites[0].Group != "x25519" || e.Profile != "intermediate" {
		t.Errorf("api enumeration = %+v", e)
	}
	legacy := doc.Results[4]
	if e := legacy.Enumeration; legacy.Error == nil || len(legacy.Findings) != 2 || e == nil ||
		e.Protocols[1].Suites[0].DHBits != 1024 || !slices.Contains(e.Protocols[1].Suites[1].Weaknesses, "export") ||
		e.Protocols[3].Error == "" {
		t.Errorf("legacy = %+v, enumeration %+v", legacy, legacy.Enumeration)
	}
	sc := bufio.NewScanner(bytes.NewReader(render(t, "jsonl", Options{})))
	n := 0
	for sc.Scan() {
		var line LineJSON
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
	}
	if n != 7 {
		t.Errorf("%d JSON lines, want 7", n)
	}
}

func TestEmptyJSON(t *testing.T) {
	var buf bytes.Buffer
	w, _ := New("json", &buf, fixtureMeta(), Options{})
	if err := w.Close(NewSummary()); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	if r, ok := v["results"].([]any); !ok || len(r) != 0 {
		t.Errorf("results = %v", v["results"])
	}
}
