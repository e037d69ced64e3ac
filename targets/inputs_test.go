package targets

import (
	"fmt"
	"strings"
	"testing"
)

// TestInputsWarnings checks that names repeated across inputs are listed
// up to maxWarnings, then counted, and that repeats within one input are
// left to that input's own error.
func TestInputsWarnings(t *testing.T) {
	var list strings.Builder
	for i := range maxWarnings + 5 {
		fmt.Fprintf(&list, "h%d.example\n", i)
	}
	o := opts()
	o.Inputs = NewInputs()
	for _, name := range []string{"a.txt", "b.txt"} {
		if _, err := Load(write(t, name, list.String()), o); err != nil {
			t.Fatal(err)
		}
	}
	if len(o.Inputs.Warnings) != maxWarnings || o.Inputs.More() != 5 {
		t.Errorf("%d warnings and %d more, want %d and 5", len(o.Inputs.Warnings), o.Inputs.More(), maxWarnings)
	}
	if w := o.Inputs.Warnings[0]; !strings.Contains(w, `target "h0.example:443" (`) || !strings.Contains(w, "b.txt:1) is also in ") {
		t.Errorf("warning %q", w)
	}

	o.Inputs = NewInputs()
	if _, err := Load(write(t, "c.txt", "a.example\na.example\n"), o); err == nil || len(o.Inputs.Warnings) != 0 {
		t.Errorf("repeat within one input: error %v, warnings %q", err, o.Inputs.Warnings)
	}
}

// TestInputsWarningQuotesShortly: a long target name repeated across two
// inputs is quoted short in the warning, as in errors.
func TestInputsWarningQuotesShortly(t *testing.T) {
	name := strings.Repeat("n", 10000)
	o := opts()
	o.Inputs = NewInputs()
	for _, file := range []string{"a.yaml", "b.yaml"} {
		if _, err := Load(write(t, file, "targets:\n  - name: "+name+"\n    host: a.example\n"), o); err != nil {
			t.Fatal(err)
		}
	}
	if len(o.Inputs.Warnings) != 1 || len(o.Inputs.Warnings[0]) > 600 {
		t.Errorf("warnings %.300q…", o.Inputs.Warnings)
	}
}
