// Package schemacheck validates reports against the JSON Schema that
// `tlsaudit schema` prints, for the tests of every package that writes
// reports. Only test binaries import it.
package schemacheck

import (
	"bufio"
	"bytes"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tlsaudit/tlsaudit/report"
)

// Validate checks a report of kind "json" (one document) or "jsonl" (a
// result per line) against both the published schema and the strict one
// (no property the Go types lack), with formats such as date-time
// asserted.
func Validate(kind string, data []byte) error {
	for _, strict := range []bool{false, true} {
		raw, err := report.Schema(kind, strict)
		if err != nil {
			return err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource("schema.json", doc); err != nil {
			return err
		}
		sch, err := c.Compile("schema.json")
		if err != nil {
			return fmt.Errorf("compile schema: %w", err)
		}
		docs := [][]byte{data}
		if kind == "jsonl" {
			docs = nil
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(nil, 64<<20)
			for sc.Scan() {
				docs = append(docs, append([]byte{}, sc.Bytes()...))
			}
			if err := sc.Err(); err != nil {
				return err
			}
		}
		for i, d := range docs {
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(d))
			if err != nil {
				return fmt.Errorf("document %d: %w", i+1, err)
			}
			if err := sch.Validate(inst); err != nil {
				return fmt.Errorf("strict=%v, document %d: %w", strict, i+1, err)
			}
		}
	}
	return nil
}
