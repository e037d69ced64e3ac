package lab_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/cli"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

var update = flag.Bool("update", false, "rewrite testdata/lab-report.json.golden")

// TestLabReportGolden runs `tlsaudit demo --format json`, the whole lab
// through the command line, the scanner, every check and the JSON writer,
// and compares the report with testdata/lab-report.json.golden once what
// changes from run to run is masked (ports, times, keys, serials). A
// change to the code's structure must leave it as it is; a change meant to
// alter what a scan reports updates it (go test ./lab -run
// TestLabReportGolden -update) and shows in review as a diff of the
// golden file.
func TestLabReportGolden(t *testing.T) {
	if !handshake.LegacyClient || !checks.ZlintAvailable {
		t.Skip("the golden report is a full build's; this build leaves lab endpoints out (build_features.go)")
	}
	raw := labReport(t)
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(normalize("", doc), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "lab-report.json.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gotPath := filepath.Join(t.TempDir(), "lab-report.json")
		_ = os.WriteFile(gotPath, got, 0o644)
		t.Fatalf("the lab's report differs from %s (normalized report written to %s); first difference:\n%s", golden, gotPath, firstDiff(string(want), string(got)))
	}
}

// labReport runs `tlsaudit demo --format json` once for the tests that
// read its report, and returns the path of the report.
func labReport(t *testing.T) []byte {
	t.Helper()
	labOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tlsaudit-lab-report")
		if err != nil {
			labErr = err
			return
		}
		labPath = filepath.Join(dir, "lab.json")
		var stderr bytes.Buffer
		if code := cli.Main([]string{"demo", "--format", "json", "--progress=never", "-o", labPath}, strings.NewReader(""), &bytes.Buffer{}, &stderr); code != 0 {
			labErr = fmt.Errorf("demo exited %d:\n%s", code, stderr.String())
			return
		}
		labRaw, labErr = os.ReadFile(labPath)
	})
	if labErr != nil {
		t.Fatal(labErr)
	}
	return labRaw
}

var (
	labOnce sync.Once
	labPath string
	labRaw  []byte
	labErr  error
)

// volatileKeys are fields whose values differ from run to run: clocks and
// durations, the ports and addresses the lab listens on, and what the
// lab's freshly generated keys and certificates hash to.
var volatileKeys = map[string]bool{
	"started": true, "finished": true, "duration_ms": true, "connect_ms": true, "handshake_ms": true,
	"port": true, "address": true,
	"serial": true, "sha256": true, "spki_sha256": true, "der": true, "leaf_sha256": true, "chain_pins": true, "pins": true,
	"not_before": true, "not_after": true, "this_update": true, "next_update": true, "produced_at": true,
	"revoked_at": true, "verified_at": true,
}

var (
	hostPort  = regexp.MustCompile(`((?:\d{1,3}\.){3}\d{1,3}|\[[0-9a-f:]+\]|[a-z0-9.-]+):\d{2,5}\b`)
	timestamp = regexp.MustCompile(`\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?( UTC)?`)
	hexRun    = regexp.MustCompile(`\b[0-9a-fA-F]{32,}\b`)
	base64Key = regexp.MustCompile(`[A-Za-z0-9+/]{43}=`)
	portWord  = regexp.MustCompile(`\bport \d+`)
	// The size of a chain of freshly made certificates varies by a few
	// bytes with its signatures.
	msgLength = regexp.MustCompile(`message of length \d+ bytes`)
	// zlint lists key usages in map order.
	keyUsages = regexp.MustCompile(`KeyUsage \[([A-Za-z ]+)\]`)
)

// normalize masks the volatile parts of a decoded report; key is the name
// v was found under.
func normalize(key string, v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if volatileKeys[k] || (k == "version" && key == "tool") {
				out[k] = "<volatile>"
				continue
			}
			out[k] = normalize(k, x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = normalize(key, x)
		}
		return out
	case string:
		s := timestamp.ReplaceAllString(v, "TIME")
		s = hostPort.ReplaceAllString(s, "$1:PORT")
		s = hexRun.ReplaceAllString(s, "HEX")
		s = base64Key.ReplaceAllString(s, "BASE64")
		s = portWord.ReplaceAllString(s, "port PORT")
		s = msgLength.ReplaceAllString(s, "message of length N bytes")
		return keyUsages.ReplaceAllStringFunc(s, func(m string) string {
			usages := strings.Fields(keyUsages.FindStringSubmatch(m)[1])
			slices.Sort(usages)
			return "KeyUsage [" + strings.Join(usages, " ") + "]"
		})
	}
	return v
}

// firstDiff shows the lines around the first line where a and b differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		if i < len(al) && i < len(bl) && al[i] == bl[i] {
			continue
		}
		lo := max(0, i-3)
		var s strings.Builder
		for j := lo; j < i+4; j++ {
			if j < len(al) {
				s.WriteString("- " + al[j] + "\n")
			}
		}
		for j := lo; j < i+4; j++ {
			if j < len(bl) {
				s.WriteString("+ " + bl[j] + "\n")
			}
		}
		return s.String()
	}
	return ""
}

// TestMain removes the shared lab report when the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if labPath != "" {
		os.RemoveAll(filepath.Dir(labPath))
	}
	os.Exit(code)
}
