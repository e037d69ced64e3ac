package cli

import (
	"encoding/json"
	"testing"

	"github.com/tlsaudit/tlsaudit/report"
)

// TestSchemaCommand prints the published schemas: valid JSON, the same
// bytes report.Schema generates, and a usage error for an unknown kind.
func TestSchemaCommand(t *testing.T) {
	for _, args := range [][]string{{"schema"}, {"schema", "jsonl"}} {
		code, out, errOut := run(t, "", args...)
		kind := "json"
		if len(args) == 2 {
			kind = args[1]
		}
		want, _ := report.Schema(kind, false)
		if code != 0 || out != string(want) || !json.Valid([]byte(out)) {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
	if code, _, _ := run(t, "", "schema", "xml"); code != ExitUsage {
		t.Errorf("schema xml: exit %d", code)
	}
}
