package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// endless gives prefix, then fill repeated for ever; it stops, with
// errReadTooFar, once it has given stop bytes, and counts what it gave.
type endless struct {
	prefix string
	fill   []byte
	stop   int64
	given  int64
}

var errReadTooFar = errors.New("read far past the cap")

func (e *endless) Read(p []byte) (int, error) {
	if e.given >= e.stop {
		return 0, errReadTooFar
	}
	n := 0
	for n < len(p) && e.given < e.stop {
		var c byte
		if e.given < int64(len(e.prefix)) {
			c = e.prefix[e.given]
		} else {
			c = e.fill[(e.given-int64(len(e.prefix)))%int64(len(e.fill))]
		}
		p[n] = c
		n++
		e.given++
	}
	return n, nil
}

// TestReadStreamCapsAValue: a report whose result, line or header field
// never ends (a 2 GB line, a pipe of random bytes) is refused once
// MaxValueBytes of it has been read, with the line it starts on; it is
// never read whole.
func TestReadStreamCapsAValue(t *testing.T) {
	line := `{"schema_version":"1","index":0,"name":"a","host":"a","port":443,"status":"ok","findings":[]}` + "\n"
	cases := []struct {
		name, prefix, fill, line string
	}{
		{"second JSON Lines line", line + `{"schema_version":"1","name":"`, "a", "line 2:"},
		{"first JSON Lines line", `{"schema_version":"1","name":"`, "a", "line 1:"},
		{"first line of many small values", `{"schema_version":"1","findings":[`, `{"check":"x"},`, "line 1:"},
		{"result of a document", "{\n\"schema_version\": \"1\",\n\"results\": [\n" + line + ",\n" + `{"name": "`, "a", "line 5:"},
		{"header field of a document", "{\n\"schema_version\": \"1\",\n\"targets_file\": \"", "a", "line 3:"},
		{"unknown field of a document", "{\n\"schema_version\": \"1\",\n\"extra\": [", "1,", "line 3:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &endless{prefix: c.prefix, fill: []byte(c.fill), stop: 3 * MaxValueBytes}
			_, err := ReadStream(r, func(ResultJSON, int) error { return nil })
			if err == nil || errors.Is(err, errReadTooFar) {
				t.Fatalf("error %v after reading %d bytes, want a refusal within %d", err, r.given, MaxValueBytes)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("longer than %d MiB", MaxValueBytes>>20)) || !strings.Contains(err.Error(), c.line) {
				t.Errorf("error %q, want one naming %s and the cap", err, c.line)
			}
			if r.given > MaxValueBytes+1<<20 {
				t.Errorf("read %d bytes for a cap of %d", r.given, MaxValueBytes)
			}
		})
	}

	// A document written on one line longer than the cap is read, one
	// result at a time.
	var b strings.Builder
	b.WriteString(`{"schema_version":"1","results":[`)
	n := 0
	for b.Len() < MaxValueBytes+1<<20 {
		if n > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"index":%d,"name":"host-%d","status":"ok","findings":[]}`, n, n)
		n++
	}
	b.WriteString("]}\n")
	got := 0
	if _, err := ReadStream(strings.NewReader(b.String()), func(ResultJSON, int) error { got++; return nil }); err != nil || got != n {
		t.Errorf("a one-line document of %d bytes: %d of %d results, %v", b.Len(), got, n, err)
	}
}

// TestReadStreamErrorsQuoteShortly: whatever part of a report an error
// is about (a schema version, a severity, a target's name, a map key or
// a number the decoder quotes), the error quotes a short excerpt of it.
func TestReadStreamErrorsQuoteShortly(t *testing.T) {
	long := strings.Repeat("x", 10000)
	digits := strings.Repeat("9", 10000)
	for name, report := range map[string]string{
		"line schema version":     `{"schema_version":"` + long + `"}`,
		"document schema version": "{\n\"schema_version\": \"" + long + "\",\n\"results\": []}",
		"severity":                `{"schema_version":"1","name":"a","findings":[{"check":"x","severity":"` + long + `"}]}`,
		"name of a bad result":    `{"schema_version":"1","name":"` + long + `","findings":[{"check":"` + long + `","severity":"severe"}]}`,
		"evidence key":            `{"schema_version":"1","name":"a","findings":[{"check":"x","severity":"high","evidence":{"` + long + `":5}}]}`,
		"number":                  `{"schema_version":"1","name":"a","index":` + digits + `}`,
		"second line number":      `{"schema_version":"1","name":"a","findings":[]}` + "\n" + `{"schema_version":"1","name":"b","index":` + digits + `}`,
		"document result number":  "{\n\"schema_version\": \"1\",\n\"results\": [{\"index\": " + digits + "}]}",
		"document header":         "{\n\"schema_version\": \"1\",\n\"started\": \"" + long + "\",\n\"results\": []}",
	} {
		_, err := ReadStream(strings.NewReader(report), func(ResultJSON, int) error { return nil })
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if len(err.Error()) > 600 {
			t.Errorf("%s: the error quotes %d bytes: %.300s…", name, len(err.Error()), err)
		}
	}
}

// TestLoadBaselineBound: a baseline holds at most baselineLimit findings.
func TestLoadBaselineBound(t *testing.T) {
	p := writeBaseline(t, "jsonl")
	defer func(n int) { baselineLimit = n }(baselineLimit)
	baselineLimit = 2
	if _, err := LoadBaseline(p); err == nil || !strings.Contains(err.Error(), "more than 2 findings") {
		t.Errorf("error %v", err)
	}
}

// TestLoadBaselineFiles: a baseline is opened as any file a user names: a
// device or a folder is refused, not read.
func TestLoadBaselineFiles(t *testing.T) {
	for _, name := range []string{"/dev/zero", t.TempDir()} {
		if _, err := os.Stat(name); err != nil {
			continue
		}
		_, err := LoadBaseline(name)
		if err == nil || !strings.Contains(err.Error(), "not a regular file or a pipe") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Standard input's file is a pipe here or a terminal; a report on a
	// pipe is read.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	name := fmt.Sprintf("/dev/fd/%d", r.Fd())
	if _, err := os.Stat(name); err != nil {
		t.Skipf("no %s", name)
	}
	data, err := os.ReadFile(writeBaseline(t, "jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		io.Copy(w, strings.NewReader(string(data)))
		w.Close()
	}()
	b, err := LoadBaseline(name)
	if err != nil || b.Findings == 0 {
		t.Errorf("pipe: %v", err)
	}
}

// TestReadStreamRefusesWhatTheGateWouldGuess: a result whose status is
// unknown or contradicts its error, or a finding whose accepted risk is of
// an unknown status, has no valid date, lapsed before the scan or
// contradicts the finding's "accepted" flag, is refused with its line:
// the gate would otherwise pass a build on a guess.
func TestReadStreamRefusesWhatTheGateWouldGuess(t *testing.T) {
	line := func(extra string) string {
		return `{"schema_version":"1","index":0,"name":"a","started":"2026-06-01T10:00:00Z",` + extra + "}\n"
	}
	finding := func(acc string) string {
		return line(`"status":"findings","findings":[{"check":"cert-expired","severity":"critical",` + acc + `}]`)
	}
	for name, c := range map[string]struct{ report, want string }{
		"unknown status":          {line(`"status":"fine"`), `status "fine"`},
		"no status":               {line(`"findings":[]`), `status ""`},
		"error without error":     {line(`"status":"error"`), `status "error" but no error`},
		"error with ok status":    {line(`"status":"ok","error":{"kind":"refused","message":"m"}`), `status "ok" but an error`},
		"acceptance status":       {finding(`"acceptance":{"check":"x","until":"2099-01-01","reason":"r","status":"approved"}`), `status "approved"`},
		"acceptance date":         {finding(`"accepted":true,"acceptance":{"check":"x","until":"someday","status":"accepted"}`), `"someday", which is not a date`},
		"acceptance lapsed":       {finding(`"accepted":true,"acceptance":{"check":"x","until":"2000-01-01","status":"accepted"}`), "before the scan (2026-06-01)"},
		"flag without risk":       {finding(`"accepted":true`), "marked accepted without an accepted risk"},
		"flag against the risk":   {finding(`"acceptance":{"check":"x","until":"2099-01-01","status":"accepted"}`), "marked accepted false but its accepted risk is accepted"},
		"expired marked in force": {finding(`"accepted":true,"acceptance":{"check":"x","until":"2099-01-01","status":"expired"}`), "marked accepted true but its accepted risk is expired"},
	} {
		_, err := ReadStream(strings.NewReader(c.report), func(ResultJSON, int) error { return nil })
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "line 1:") {
			t.Errorf("%s: error %v, want one with %q", name, err, c.want)
		}
	}
	// What a scan writes is read.
	for _, acc := range []string{
		`"accepted":true,"acceptance":{"check":"x","until":"2026-06-01","status":"accepted"}`,
		`"acceptance":{"check":"x","until":"2026-05-01","status":"expired"}`,
	} {
		if _, err := ReadStream(strings.NewReader(finding(acc)), func(ResultJSON, int) error { return nil }); err != nil {
			t.Errorf("%s: %v", acc, err)
		}
	}
}

// TestFromJSONAcceptanceFailsClosed: built from a result ReadStream did
// not check, an accepted risk counts only when its status is "accepted"
// and its date valid.
func TestFromJSONAcceptanceFailsClosed(t *testing.T) {
	for _, a := range []AcceptanceJSON{{Until: "2099-01-01", Status: "approved"}, {Until: "2099-01-01"}, {Until: "soon", Status: "accepted"}} {
		r := FromJSON(ResultJSON{Findings: []FindingJSON{{Check: "cert-expired", Severity: "critical", Acceptance: &a}}})
		if r.Findings[0].Accepted() {
			t.Errorf("%+v counts as accepted", a)
		}
	}
	a := AcceptanceJSON{Until: "2099-01-01", Status: "accepted"}
	if r := FromJSON(ResultJSON{Findings: []FindingJSON{{Check: "cert-expired", Severity: "critical", Accepted: true, Acceptance: &a}}}); !r.Findings[0].Accepted() {
		t.Error("an accepted risk in force does not count")
	}
}
