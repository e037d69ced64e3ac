package report

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// sarifDoc is the part of a SARIF log the tests read.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Tool struct {
			Driver struct {
				Rules []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct{ Text string }
					FullDescription  struct{ Text string }
					Help             struct{ Text, Markdown string }
					Properties       map[string]any
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results     *[]sarifResultDoc `json:"results"`
		Invocations []struct {
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

type sarifResultDoc struct {
	RuleID    string `json:"ruleId"`
	RuleIndex int    `json:"ruleIndex"`
	Level     string `json:"level"`
	Message   struct{ Text string }
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct{ URI string }
			Region           struct{ StartLine, StartColumn int }
		}
		LogicalLocations []struct{ Name, FullyQualifiedName string }
	}
	PartialFingerprints map[string]string
	Suppressions        []struct{ Kind, Status, Justification string }
	Properties          map[string]any
}

func renderSARIF(t *testing.T, meta Meta, rs []*scanner.Result) []byte {
	t.Helper()
	return renderResults(t, "sarif", meta, Options{}, rs)
}

func parseSARIF(t *testing.T, b []byte) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return d
}

// TestSARIFRulesAndResults checks GitHub's rules on the fixture: every
// check is a rule with its metadata, every result names a rule it can be
// found under, and has one physical location with a line and a
// fingerprint.
func TestSARIFRulesAndResults(t *testing.T) {
	d := parseSARIF(t, render(t, "sarif", Options{}))
	// The targets file's run, then the app source tree's (see
	// TestSARIFSourceTree).
	if d.Version != "2.1.0" || d.Schema == "" || len(d.Runs) != 2 {
		t.Fatalf("version %q, schema %q, %d runs", d.Version, d.Schema, len(d.Runs))
	}
	run := d.Runs[0]
	if run.AutomationDetails.ID != "tlsaudit/targets.yaml/" {
		t.Errorf("automationDetails.id = %q", run.AutomationDetails.ID)
	}
	rules := run.Tool.Driver.Rules
	meta := fixtureMeta()
	if len(rules) != len(meta.Checks)+1 {
		t.Fatalf("%d rules, want every check plus the zlint finding's", len(rules))
	}
	for i, c := range meta.Checks {
		r := rules[i]
		tags, _ := r.Properties["tags"].([]any)
		if r.ID != c.ID || r.ShortDescription.Text != c.Title || r.FullDescription.Text != c.Description ||
			!strings.Contains(r.Help.Text, c.Remediation) || !strings.Contains(r.Help.Markdown, "### How to fix") ||
			!slices.Contains(tags, any("security")) || r.Properties["security-severity"] != securitySeverity[c.Severity] {
			t.Errorf("rule %d = %+v, check %s", i, r, c.ID)
		}
		if c.CWE > 0 && !slices.Contains(tags, any("external/cwe/cwe-"+strconv.Itoa(c.CWE))) {
			t.Errorf("rule %s lacks its CWE tag: %v", c.ID, tags)
		}
	}
	// The zlint finding's rule comes from the zlint family's own metadata.
	if lint := rules[len(rules)-1]; lint.ID != "zlint/e_sub_cert_aia_missing" || !strings.Contains(lint.ShortDescription.Text, "authorityInformationAccess") ||
		!strings.Contains(lint.FullDescription.Text, "BRs: 7.1.2.3") || lint.Properties["security-severity"] != "5.5" {
		t.Errorf("zlint rule = %+v", lint)
	}
	results := *run.Results
	findings, unscannable := 0, 0
	for _, r := range fixtureResults(t) {
		if r.Target.SourceTree != "" {
			continue
		}
		findings += len(r.Findings)
		unscannable += len(r.CheckErrors)
		if r.Err != nil {
			unscannable++
		}
	}
	if len(results) != findings {
		t.Fatalf("%d results, want one per finding (%d)", len(results), findings)
	}
	for _, r := range results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(rules) || rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("%s: ruleIndex %d does not name its rule", r.RuleID, r.RuleIndex)
		}
		if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation.ArtifactLocation.URI != "targets.yaml" ||
			r.Locations[0].PhysicalLocation.Region.StartLine < 1 || r.PartialFingerprints["primaryLocationLineHash"] == "" {
			t.Errorf("%s: locations %+v, fingerprints %v", r.RuleID, r.Locations, r.PartialFingerprints)
		}
	}
	expired, accepted := results[0], results[1]
	if expired.RuleID != "cert-expired" || len(expired.Suppressions) != 0 || !strings.Contains(expired.Message.Text, "accepted risk ran out on 2026-11-15") {
		t.Errorf("expired acceptance must not suppress and must say so: %+v", expired)
	}
	if accepted.RuleID != "hostname-mismatch" || len(accepted.Suppressions) != 1 ||
		accepted.Suppressions[0].Status != "accepted" || !strings.Contains(accepted.Suppressions[0].Justification, "ticket OPS-42") {
		t.Errorf("accepted finding: %+v", accepted)
	}
	if ev, _ := expired.Properties["evidence"].(map[string]any); ev["not_after"] != "2026-11-01T00:00:00Z" {
		t.Errorf("evidence not in properties: %v", expired.Properties)
	}
	notes := run.Invocations[0].ToolExecutionNotifications
	if len(notes) != unscannable || notes[0].Level != "error" || !strings.Contains(notes[0].Message.Text, "down (down.example.com:443) could not be scanned (connect-timeout)") {
		t.Errorf("notifications = %+v", notes)
	}
}

// TestSARIFFingerprintsStable checks that an alert keeps its identity when
// the volatile facts change (address, message, evidence, scan time) and
// when a line is inserted above its target in the targets file, and that
// different endpoints or checks never share one.
func TestSARIFFingerprintsStable(t *testing.T) {
	first := fingerprints(t, fixtureResults(t))
	again := fingerprints(t, fixtureResults(t))
	if !maps.Equal(first, again) {
		t.Fatalf("fingerprints differ between two renders:\n%v\n%v", first, again)
	}
	edited := fixtureResults(t)
	for _, r := range edited {
		r.Target.Source.Line += 3 // three lines inserted above every target
		r.Addr = "198.51.100.9:443"
		for i := range r.Findings {
			r.Findings[i].Message += ", as of today"
			r.Findings[i].Evidence = map[string]string{"days_left": "-23"}
		}
	}
	if got := fingerprints(t, edited); !maps.Equal(first, got) {
		t.Errorf("fingerprints changed with lines and volatile facts:\n%v\n%v", first, got)
	}
	seen := map[string]string{}
	for k, fp := range first {
		if other, dup := seen[fp]; dup {
			t.Errorf("%s and %s share fingerprint %s", k, other, fp)
		}
		seen[fp] = k
	}
	moved := fixtureResults(t)
	moved[1].Target.ServerName = "www.old.example.com"
	if got := fingerprints(t, moved); got["cert-expired@old"] == first["cert-expired@old"] {
		t.Error("another server name kept the fingerprint")
	}
}

func fingerprints(t *testing.T, rs []*scanner.Result) map[string]string {
	t.Helper()
	d := parseSARIF(t, renderSARIF(t, fixtureMeta(), rs))
	out := map[string]string{}
	for _, r := range *d.Runs[0].Results {
		out[r.RuleID+"@"+r.Properties["target"].(string)] = r.PartialFingerprints["primaryLocationLineHash"]
	}
	return out
}

// TestSARIFRepeatedCheck checks that two findings of one check on one
// endpoint get distinct fingerprints, numbered as GitHub does.
func TestSARIFRepeatedCheck(t *testing.T) {
	rs := fixtureResults(t)
	rs[1].Findings = append(rs[1].Findings, rs[1].Findings[0])
	var fps []string
	for _, r := range *parseSARIF(t, renderSARIF(t, fixtureMeta(), rs)).Runs[0].Results {
		if r.RuleID == "cert-expired" {
			fps = append(fps, r.PartialFingerprints["primaryLocationLineHash"])
		}
	}
	if len(fps) != 2 || !strings.HasSuffix(fps[0], ":1") || !strings.HasSuffix(fps[1], ":2") || fps[0][:32] != fps[1][:32] {
		t.Errorf("fingerprints = %v", fps)
	}
}

// TestSARIFArrivalOrder checks that the document does not depend on the
// order results arrive in (a SARIF side output next to jsonl gets them as
// targets finish).
func TestSARIFArrivalOrder(t *testing.T) {
	rs := fixtureResults(t)
	want := renderSARIF(t, fixtureMeta(), rs)
	slices.Reverse(rs)
	if got := renderSARIF(t, fixtureMeta(), rs); !bytes.Equal(got, want) {
		t.Error("reversed arrival changed the SARIF")
	}
}

// TestSARIFCleanScan checks that a scan without findings still writes its
// run with an empty results array: that is what closes fixed alerts.
func TestSARIFCleanScan(t *testing.T) {
	rs := fixtureResults(t)[:1]
	out := renderSARIF(t, fixtureMeta(), rs)
	d := parseSARIF(t, out)
	if len(d.Runs) != 1 || d.Runs[0].Results == nil || len(*d.Runs[0].Results) != 0 || !bytes.Contains(out, []byte(`"results": []`)) {
		t.Errorf("clean scan:\n%s", out)
	}
	if len(d.Runs[0].Tool.Driver.Rules) != len(fixtureMeta().Checks) {
		t.Error("a clean run must still list every rule")
	}
	empty := parseSARIF(t, renderSARIF(t, fixtureMeta(), nil))
	if len(empty.Runs) != 1 || empty.Runs[0].Results == nil {
		t.Errorf("no results at all: %+v", empty)
	}
}

// TestSARIFRunsAndStandIns checks one run per targets file, and where
// targets with no file point: command-line arguments at line N of a
// stand-in, standard input at its line of another.
func TestSARIFRunsAndStandIns(t *testing.T) {
	mk := func(i int, host string, src fileloc.Location) *scanner.Result {
		tg := &scanner.Target{Index: i, Host: host, Port: 443, ServerName: host, Source: src}
		return &scanner.Result{Target: tg, Start: fixtureStart, Findings: []scanner.Finding{{CheckID: "cert-expired", Severity: scanner.Critical, Message: "expired"}}}
	}
	rs := []*scanner.Result{
		mk(0, "a.example", fileloc.Location{File: "prod/targets.yaml", Line: 4, Column: 5}),
		mk(1, "b.example", fileloc.Location{File: "staging.yaml", Line: 2, Column: 5}),
		mk(2, "c.example", fileloc.Location{File: "<stdin>", Line: 7, Column: 1}),
		mk(3, "d.example", fileloc.Location{}),
		mk(4, "e.example", fileloc.Location{}),
	}
	rs[4].Findings = nil // a clean command-line target still takes its line
	rs = append(rs, mk(5, "f.example", fileloc.Location{}))
	inOrder := renderSARIF(t, fixtureMeta(), rs)
	reversed := slices.Clone(rs)
	slices.Reverse(reversed)
	if !bytes.Equal(renderSARIF(t, fixtureMeta(), reversed), inOrder) {
		t.Error("the order results arrived in changed the runs")
	}
	d := parseSARIF(t, inOrder)
	var got []string
	for _, run := range d.Runs {
		for _, r := range *run.Results {
			l := r.Locations[0].PhysicalLocation
			got = append(got, run.AutomationDetails.ID+" "+l.ArtifactLocation.URI+":"+strconv.Itoa(l.Region.StartLine))
		}
	}
	want := []string{
		"tlsaudit/prod/targets.yaml/ prod/targets.yaml:4",
		"tlsaudit/staging.yaml/ staging.yaml:2",
		"tlsaudit/.tlsaudit/stdin/ .tlsaudit/stdin:7",
		"tlsaudit/.tlsaudit/command-line/ .tlsaudit/command-line:1",
		"tlsaudit/.tlsaudit/command-line/ .tlsaudit/command-line:3",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestSARIFFamilyRules checks the rules of finding IDs that are no
// check's: a family rule (a zlint lint) with its own metadata from the
// family's Rules, and one the family does not list, derived from the
// family.
func TestSARIFFamilyRules(t *testing.T) {
	lint := &scanner.Check{ID: "lint", Title: "Certificate breaks a linting rule", Severity: scanner.Medium,
		Description: "The linter found a problem.", Remediation: "Reissue the certificate.", References: []string{"https://github.com/zmap/zlint"},
		CWE: 295, Rules: func() []scanner.Rule {
			return []scanner.Rule{{ID: "lint/e_known", Title: "Known lint", Description: "What the linter says about it.",
				Severity: scanner.High, Citation: "RFC 5280: 4.2.2.1", Source: "RFC5280", References: []string{"https://example.org/lint"}}}
		}}
	meta := fixtureMeta()
	meta.Checks = append(meta.Checks, lint)
	r := fixtureResults(t)[0]
	r.Findings = []scanner.Finding{
		{CheckID: "lint/w_unknown", Severity: scanner.Low, Message: "a"},
		{CheckID: "lint/w_unknown", Severity: scanner.Medium, Message: "b"},
		{CheckID: "lint/e_known", Severity: scanner.High, Message: "c"},
	}
	d := parseSARIF(t, renderSARIF(t, meta, []*scanner.Result{r}))
	rules := d.Runs[0].Tool.Driver.Rules
	byID := map[string]int{}
	for i, rl := range rules {
		byID[rl.ID] = i
	}
	known, unknown := rules[byID["lint/e_known"]], rules[byID["lint/w_unknown"]]
	if known.ShortDescription.Text != "Known lint" || known.Properties["security-severity"] != "8.0" ||
		!strings.Contains(known.FullDescription.Text, "(RFC 5280: 4.2.2.1, RFC5280)") || !strings.Contains(known.Help.Text, "Reissue the certificate.") {
		t.Errorf("family rule = %+v", known)
	}
	if unknown.ShortDescription.Text != "Certificate breaks a linting rule: w_unknown" || unknown.Properties["security-severity"] != "5.5" ||
		!strings.Contains(unknown.FullDescription.Text, "The linter found a problem.") || !strings.Contains(unknown.Help.Markdown, "CWE-295") {
		t.Errorf("derived rule = %+v", unknown)
	}
	if len(rules) != len(meta.Checks)+2 {
		t.Errorf("%d rules: every check, plus only the family rules that fired", len(rules))
	}
	for _, res := range *d.Runs[0].Results {
		if rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s points at rule %s", res.RuleID, rules[res.RuleIndex].ID)
		}
	}
}

func TestSARIFPath(t *testing.T) {
	root := t.TempDir()
	inside := filepath.Join(root, "ci", "targets.yaml")
	if err := os.MkdirAll(filepath.Dir(inside), 0o755); err != nil {
		t.Fatal(err)
	}
	if uri, ok := SARIFPath(root, inside); uri != "ci/targets.yaml" || !ok {
		t.Errorf("inside: %q %v", uri, ok)
	}
	if uri, ok := SARIFPath(root, filepath.Join(root, "my targets.yaml")); uri != "my%20targets.yaml" || !ok {
		t.Errorf("space: %q %v", uri, ok)
	}
	outside := filepath.Join(filepath.Dir(root), "elsewhere.yaml")
	if uri, ok := SARIFPath(root, outside); ok || !strings.HasPrefix(uri, "file:///") {
		t.Errorf("outside: %q %v", uri, ok)
	}
	if uri, ok := SARIFPath("", "targets.yaml"); uri != "targets.yaml" || !ok {
		t.Errorf("relative to the working directory: %q %v", uri, ok)
	}
}

// TestSARIFTimes keeps the volatile invocation times out of everything
// GitHub matches alerts on.
func TestSARIFTimes(t *testing.T) {
	meta := fixtureMeta()
	a := fingerprints(t, fixtureResults(t))
	meta.Started = meta.Started.Add(24 * time.Hour)
	d := parseSARIF(t, renderSARIF(t, meta, fixtureResults(t)))
	for _, r := range *d.Runs[0].Results {
		if a[r.RuleID+"@"+r.Properties["target"].(string)] != r.PartialFingerprints["primaryLocationLineHash"] {
			t.Errorf("%s: scan time changed the fingerprint", r.RuleID)
		}
	}
}

// TestSARIFResultCap checks that a run over GitHub's result limit keeps
// the most severe findings and says how many it left out.
func TestSARIFResultCap(t *testing.T) {
	var buf bytes.Buffer
	w := newSARIF(&buf, fixtureMeta())
	w.maxResults = 2
	rs := fixtureResults(t)
	for _, r := range rs {
		w.Write(r)
	}
	if err := w.Close(fixtureSummary(rs)); err != nil {
		t.Fatal(err)
	}
	d := parseSARIF(t, buf.Bytes())
	var kept []string
	for _, r := range *d.Runs[0].Results {
		kept = append(kept, r.RuleID+"@"+r.Properties["target"].(string))
	}
	// The two critical findings: old's expired certificate, legacy's export suite.
	if strings.Join(kept, " ") != "cert-expired@old cipher-export@legacy" {
		t.Errorf("kept %v", kept)
	}
	notes := d.Runs[0].Invocations[0].ToolExecutionNotifications
	if last := notes[len(notes)-1]; !strings.Contains(last.Message.Text, "findings of the least severity were left out") {
		t.Errorf("no notification about the cap: %+v", last)
	}
	// The command prints the writer's notices on standard error.
	if n := w.Notices(); len(n) != 1 || !strings.Contains(n[0], "left out") || !strings.Contains(n[0], "jsonl") {
		t.Errorf("notices %q, want one about the findings left out", n)
	}
	var whole bytes.Buffer
	all := newSARIF(&whole, fixtureMeta())
	for _, r := range rs {
		all.Write(r)
	}
	if err := all.Close(fixtureSummary(rs)); err != nil {
		t.Fatal(err)
	}
	if n := all.Notices(); len(n) != 0 {
		t.Errorf("notices %q from a run within the limit", n)
	}
}
