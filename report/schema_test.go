package report_test

import (
	"os"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/internal/schemacheck"
	"github.com/tlsaudit/tlsaudit/report"
)

// TestGoldenReportsMatchSchema validates the golden JSON and JSON Lines
// reports (every field the fixtures fill) against the schema generated
// from the Go types, published and strict.
func TestGoldenReportsMatchSchema(t *testing.T) {
	for _, kind := range report.SchemaKinds {
		data := readGolden(t, "testdata/fixture."+kind+".golden")
		if err := schemacheck.Validate(kind, data); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
}

// TestSchemaCatchesDrift shows the validation can fail: a report with a
// field the types lack fails the strict schema, one missing a required
// field fails both.
func TestSchemaCatchesDrift(t *testing.T) {
	data := string(readGolden(t, "testdata/fixture.json.golden"))
	extra := strings.Replace(data, `"schema_version": "1",`, `"schema_version": "1", "surprise": 1,`, 1)
	if err := schemacheck.Validate("json", []byte(extra)); err == nil || !strings.Contains(err.Error(), "strict=true") {
		t.Errorf("extra field: %v", err)
	}
	missing := strings.Replace(data, `"schema_version": "1",`, ``, 1)
	if err := schemacheck.Validate("json", []byte(missing)); err == nil || !strings.Contains(err.Error(), "strict=false") {
		t.Errorf("missing schema_version: %v", err)
	}
	badTime := strings.Replace(data, `"started": "2026-11-23T12:00:00Z"`, `"started": "yesterday"`, 1)
	if err := schemacheck.Validate("json", []byte(badTime)); err == nil {
		t.Error("a date-time that is not one validates")
	}
}

func readGolden(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
