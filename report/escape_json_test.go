package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// TestJSONFormatsEscapeUnprintable: a merged report carrying C1 controls,
// DEL, bidi overrides and zero-width characters in its strings is written
// as JSON, JSON Lines and SARIF with each of them as a \\u escape, so that
// printing the report on a terminal cannot act on it; a JSON reader gets
// the strings back unchanged.
func TestJSONFormatsEscapeUnprintable(t *testing.T) {
	evil := "n\u009b31m\u202eevil\u2066\u200b\x7f\U000e0041é"
	r := ResultJSON{Index: 0, Name: evil, Host: "h", Port: 443, ServerName: "h", Tags: []string{evil}, Status: "findings",
		Started:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Findings: []FindingJSON{{Check: "cert-expired", Severity: "high", Message: evil, Evidence: map[string]string{evil: evil}}}}
	for _, format := range []string{"json", "jsonl", "sarif"} {
		var b bytes.Buffer
		w, err := New(format, &b, fixtureMeta(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.(WireWriter).WriteJSON(r); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(NewSummary()); err != nil {
			t.Fatal(err)
		}
		if c, ok := rawUnprintable(b.Bytes()); ok {
			t.Errorf("%s: raw %U in the output", format, c)
		}
		if !bytes.Contains(b.Bytes(), []byte("é")) {
			t.Errorf("%s: a printable letter was escaped too", format)
		}
		if format == "sarif" {
			continue
		}
		line := b.Bytes()
		var got ResultJSON
		if format == "json" {
			var doc struct{ Results []ResultJSON }
			if err := json.Unmarshal(line, &doc); err != nil || len(doc.Results) != 1 {
				t.Fatalf("json: %v", err)
			}
			got = doc.Results[0]
		} else if err := json.Unmarshal(line, &got); err != nil {
			t.Fatal(err)
		}
		if got.Name != evil || got.Findings[0].Evidence[evil] != evil {
			t.Errorf("%s: read back %q", format, got.Name)
		}
	}
}
