package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
)

// The SARIF document is written as json.MarshalIndent writes it whole, but
// a piece at a time: each object marshalled with the prefix of its depth
// (MarshalIndent's output for a value is the same inside a document as
// alone, given its indentation) and the large lists spliced in element by
// element.

// splitEmptyArray finds `"key": []`, which must occur once in doc, and
// returns what comes before the `[]`, what comes after it, and the
// indentation of the line it is on. Inside a JSON string every quote is
// escaped, so the key with its quotes can only be a member name.
func splitEmptyArray(doc []byte, key string) (before, after []byte, indent string, err error) {
	member := []byte(`"` + key + `": []`)
	i := bytes.Index(doc, member)
	if i < 0 || bytes.Count(doc, member) != 1 {
		return nil, nil, "", fmt.Errorf("sarif: %q not found once in the document", key)
	}
	lineStart := bytes.LastIndexByte(doc[:i], '\n') + 1
	at := i + len(member) - len("[]")
	return doc[:at], doc[at+len("[]"):], string(doc[lineStart:i]), nil
}

// jsonArray writes a list whose member name was written at indent, as
// MarshalIndent would with a two-space indent: "[]" when empty.
type jsonArray struct {
	w      *bufio.Writer
	indent string
	n      int
}

func newJSONArray(w *bufio.Writer, indent string) *jsonArray {
	return &jsonArray{w: w, indent: indent}
}

func (a *jsonArray) itemIndent() string { return a.indent + "  " }

// next starts an element, which the caller then writes at itemIndent.
func (a *jsonArray) next() {
	if a.n == 0 {
		a.w.WriteString("[")
	} else {
		a.w.WriteString(",")
	}
	a.n++
	a.w.WriteString("\n" + a.itemIndent())
}

// add writes v as the next element.
func (a *jsonArray) add(v any) error {
	b, err := json.MarshalIndent(v, a.itemIndent(), "  ")
	if err != nil {
		return err
	}
	a.next()
	_, err = a.w.Write(b)
	return err
}

func (a *jsonArray) end() {
	if a.n == 0 {
		a.w.WriteString("[]")
		return
	}
	a.w.WriteString("\n" + a.indent + "]")
}
