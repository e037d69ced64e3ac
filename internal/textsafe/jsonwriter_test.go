package textsafe

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode"
)

// TestJSONWriter: JSON written through NewJSONWriter, in one write or cut
// at every byte, has no unprintable character left raw and decodes to
// the same strings.
func TestJSONWriter(t *testing.T) {
	in := map[string]string{"k\u202e": "a\u009b[2J\x7f\u2066b\u200bc\U000e0041 😀 é \ufffd", "plain": "x"}
	doc, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []int{len(doc), 1, 2, 3} {
		var b bytes.Buffer
		w := NewJSONWriter(&b)
		for i := 0; i < len(doc); i += step {
			if _, err := w.Write(doc[i:min(i+step, len(doc))]); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range b.String() {
			if r >= 0x7f && !unicode.IsPrint(r) || r == 0x7f {
				t.Fatalf("step %d: raw %U in %s", step, r, b.String())
			}
		}
		var got map[string]string
		if err := json.Unmarshal(b.Bytes(), &got); err != nil || got["k\u202e"] != in["k\u202e"] || got["plain"] != "x" {
			t.Errorf("step %d: %v, read back %q", step, err, got)
		}
		if !bytes.Contains(b.Bytes(), []byte("😀 é")) {
			t.Errorf("step %d: printable characters escaped: %s", step, b.String())
		}
	}
}
