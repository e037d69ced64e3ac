package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/report"
)

// mergeFleet writes a line list of a few lab endpoints (good, expired,
// refused) and 20 clean names on the wildcard endpoint.
func mergeFleet(t *testing.T) (list, ca string) {
	t.Helper()
	list, ca = labList(t, "good", "expired", "refused", "wildcard")
	data, _ := os.ReadFile(list)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var b strings.Builder
	for _, l := range lines {
		if strings.Contains(l, "wildcard") {
			addr, _, _ := strings.Cut(l, " ")
			for i := range 20 {
				fmt.Fprintf(&b, "%s %s\n", addr, wildcardName(i))
			}
			continue
		}
		b.WriteString(l + "\n")
	}
	if err := os.WriteFile(list, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return list, ca
}

// outcome is what must survive sharding and merging: which target, in
// which position, and what was found.
func outcome(r report.ResultJSON) string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Check)
	}
	kind := ""
	if r.Error != nil {
		kind = r.Error.Kind
	}
	return fmt.Sprintf("%d %s %s %s [%s]", r.Index, r.Name, r.Status, kind, strings.Join(ids, ","))
}

// TestMergeShardsEqualsUnshardedScan scans a fleet whole and as three
// shards (two as JSON Lines, one as JSON), merges the shards, and checks
// the merged report has the unsharded scan's results, order and summary.
func TestMergeShardsEqualsUnshardedScan(t *testing.T) {
	list, ca := mergeFleet(t)
	scan := func(extra ...string) string {
		t.Helper()
		_, out, errOut := run(t, "", append([]string{"scan", "-f", list, "--ca", ca, "--fail-on", "none"}, extra...)...)
		if out == "" {
			t.Fatalf("no report: %s", errOut)
		}
		return out
	}
	whole := parseDoc(t, scan("--format", "json"))
	dir := t.TempDir()
	var shards []string
	for k, format := range []string{"jsonl", "json", "jsonl"} {
		p := filepath.Join(dir, fmt.Sprintf("shard%d.%s", k+1, format))
		os.WriteFile(p, []byte(scan("--shard", fmt.Sprintf("%d/3", k+1), "--format", format)), 0o644)
		shards = append(shards, p)
	}
	code, out, errOut := run(t, "", append([]string{"merge", "--format", "json", "--fail-on", "none"}, shards...)...)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errOut)
	}
	merged := parseDoc(t, out)
	var want, got []string
	for _, r := range whole.Results {
		want = append(want, outcome(r))
	}
	for _, r := range merged.Results {
		got = append(got, outcome(r))
	}
	if !slices.Equal(got, want) {
		t.Errorf("merged:\n  %s\nunsharded:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if merged.Summary.Results != whole.Summary.Results || merged.Summary.Errors != whole.Summary.Errors ||
		merged.Summary.Findings["critical"] != whole.Summary.Findings["critical"] {
		t.Errorf("summary %+v, unsharded %+v", merged.Summary, whole.Summary)
	}

	// The gate applies to the merged results; the table renders them.
	if code, _, _ := run(t, "", append([]string{"merge", "--format", "json"}, shards...)...); code != ExitFindings {
		t.Errorf("merge gate: exit %d, want %d (an expired certificate is critical)", code, ExitFindings)
	}
	code, table, _ := run(t, "", append([]string{"merge", "--format", "table", "--fail-on", "none"}, shards...)...)
	if code != 0 || !strings.Contains(table, "cert-expired") || !strings.Contains(table, "refused") {
		t.Errorf("table: exit %d\n%s", code, table)
	}
}

func TestMergeWarnsAndRefuses(t *testing.T) {
	list, ca := mergeFleet(t)
	dir := t.TempDir()
	_, out, _ := run(t, "", "scan", "-f", list, "--ca", ca, "--shard", "1/2", "--format", "json", "--fail-on", "none")
	one := filepath.Join(dir, "one.json")
	os.WriteFile(one, []byte(out), 0o644)

	code, merged, errOut := run(t, "", "merge", "--format", "json", "--fail-on", "none", one, one)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "shard 2/2 is missing") || !strings.Contains(errOut, "keeping the first") {
		t.Errorf("stderr: %s", errOut)
	}
	if n, m := len(parseDoc(t, out).Results), len(parseDoc(t, merged).Results); n != m {
		t.Errorf("the same report twice merged to %d results, want %d", m, n)
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"hello": "world"}`), 0o644)
	for _, args := range [][]string{{"merge", bad}, {"merge", filepath.Join(dir, "missing.json")}, {"merge"}} {
		if code, _, errOut := run(t, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
	}
	// Standard input works too.
	if code, _, errOut := run(t, out, "merge", "-", "--format", "jsonl", "--fail-on", "none"); code != 0 {
		t.Errorf("merge -: exit %d: %s", code, errOut)
	}
}

// TestMergeToSARIF checks that SARIF merged from shard reports has the
// same alerts (rule and fingerprint) as SARIF written by the unsharded
// scan, so code scanning sees one fleet, not N partial ones.
func TestMergeToSARIF(t *testing.T) {
	list, ca := mergeFleet(t)
	dir := t.TempDir()
	direct := filepath.Join(dir, "direct.sarif")
	// The targets file is the repository's: merge keeps no location
	// outside the SARIF root (see report.OutsideRootURI).
	root := filepath.Dir(list)
	if _, _, errOut := run(t, "", "scan", "-f", list, "--ca", ca, "--fail-on", "none", "--format", "sarif", "--sarif-root", root, "-o", direct); !fileExists(direct) {
		t.Fatalf("no SARIF: %s", errOut)
	}
	var shards []string
	for k := 1; k <= 2; k++ {
		p := filepath.Join(dir, fmt.Sprintf("shard%d.json", k))
		run(t, "", "scan", "-f", list, "--ca", ca, "--fail-on", "none", "--shard", fmt.Sprintf("%d/2", k), "--format", "json", "-o", p)
		shards = append(shards, p)
	}
	merged := filepath.Join(dir, "merged.sarif")
	if code, _, errOut := run(t, "", append([]string{"merge", "--fail-on", "none", "--format", "sarif", "--sarif-root", root, "-o", merged}, shards...)...); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errOut)
	}
	want, got := sarifAlerts(t, direct), sarifAlerts(t, merged)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("merged SARIF alerts:\n  %s\ndirect:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}

	// An app's source tree (scan --discover): the code findings keep
	// their fingerprints and their lines in the app, a host it names keeps
	// pointing at the line that names it, and the merged summary counts a
	// source tree read, not a target scanned. Only the lab's good and
	// expired endpoints are kept among the hosts (the test seam points them
	// at the lab); expired's finding points at a line naming the host.
	t.Run("discover", func(t *testing.T) {
		l, dir, ca := startLab(t, "ca.pem", "good", "expired")
		report, direct := filepath.Join(dir, "scan.json"), filepath.Join(dir, "direct.sarif")
		var errOut bytes.Buffer
		env := &environment{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errOut, retarget: labRetarget(t, l)}
		if code := execute(context.Background(), env, []string{"scan", "--discover", sampleApp, "--keep", "good.tlsaudit.test,expired.tlsaudit.test",
			"--drop", "legacy.shop-api.com,cdn.shop-assets.com", "--ca", ca,
			"--format", "json", "-o", report, "--sarif", direct, "--sarif-root", ".."}); code != ExitFindings {
			t.Fatalf("scan --discover: exit %d, want %d: %s", code, ExitFindings, errOut.String())
		}
		merged := filepath.Join(dir, "merged.sarif")
		if code, _, errOut := run(t, "", "merge", report, "--format", "sarif", "--sarif-root", "..", "-o", merged); code != ExitFindings {
			t.Fatalf("merge: exit %d, want %d: %s", code, ExitFindings, errOut)
		}
		want, got := sarifAlerts(t, direct), sarifAlerts(t, merged)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("merged SARIF alerts:\n  %s\ndirect:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		data, _ := os.ReadFile(report)
		_, out, _ := run(t, "", "merge", report, "--format", "json", "--fail-on", "none")
		if scanned, remerged := parseDoc(t, string(data)).Summary, parseDoc(t, out).Summary; scanned.SourceTrees != 1 || scanned.Scanned != 2 ||
			remerged.SourceTrees != scanned.SourceTrees || remerged.Scanned != scanned.Scanned || remerged.Errors != scanned.Errors {
			t.Errorf("merged summary %+v, scan's %+v", remerged, scanned)
		}
	})
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// sarifAlerts lists each result's rule, level and fingerprint, sorted.
func sarifAlerts(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID       string            `json:"ruleId"`
				Level        string            `json:"level"`
				Fingerprints map[string]string `json:"partialFingerprints"`
				Locations    []struct {
					Physical struct {
						Artifact struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	for _, run := range doc.Runs {
		for _, r := range run.Results {
			uri, line := "", 0
			if len(r.Locations) > 0 {
				uri, line = r.Locations[0].Physical.Artifact.URI, r.Locations[0].Physical.Region.StartLine
			}
			out = append(out, fmt.Sprintf("%s %s %s line %d %s", r.RuleID, r.Level, uri, line, r.Fingerprints["primaryLocationLineHash"]))
		}
	}
	slices.Sort(out)
	return out
}
