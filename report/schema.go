package report

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/invopop/jsonschema"
)

// Document is a whole --format json report. The JSON writer streams its
// fields in this order (the head, each result, then finished and the
// summary) rather than marshalling one; it exists so the JSON Schema is
// generated from the same Go types the writer uses, and a test checks
// that every report validates against it.
type Document struct {
	documentHead
	Results  []ResultJSON `json:"results"`
	Finished time.Time    `json:"finished"`
	Summary  *Summary     `json:"summary"`
}

// SchemaKinds are the reports `tlsaudit schema` describes: a JSON
// document, and one line of JSON Lines.
var SchemaKinds = []string{"json", "jsonl"}

// Schema returns the JSON Schema (draft 2020-12) of a report of kind
// "json" or "jsonl". strict forbids properties the Go types do not have:
// tests use it to catch a field written but not in the types. The
// published schema (strict false) allows them, as the compatibility
// promise says new fields may appear within a schema version.
func Schema(kind string, strict bool) ([]byte, error) {
	r := &jsonschema.Reflector{Anonymous: true, AllowAdditionalProperties: !strict}
	var s *jsonschema.Schema
	switch kind {
	case "json":
		s = r.Reflect(&Document{})
		s.Title = "tlsaudit report (--format json)"
	case "jsonl":
		s = r.Reflect(&LineJSON{})
		s.Title = "tlsaudit result (one line of --format jsonl)"
	default:
		return nil, fmt.Errorf("no schema %q (want json or jsonl)", kind)
	}
	s.ID = jsonschema.ID("urn:tlsaudit:schema:" + kind + ":" + SchemaVersion)
	s.Description = "Generated from tlsaudit's Go types. schema_version " + SchemaVersion +
		": within it fields are only added, never removed or changed in meaning (docs/json-schema.md)."
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
