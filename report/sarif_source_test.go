package report

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// TestSARIFSourceTree checks what `scan --discover` gives code scanning:
// the source tree's run (its own category) with code findings at their
// exact lines, discovered hosts' results at the first line that names the
// host (the others as related locations), and code fingerprints that
// survive the finding moving to another line.
func TestSARIFSourceTree(t *testing.T) {
	meta := fixtureMeta()
	meta.SourceTree = "app"
	tree := &scanner.Target{Index: 0, Name: "app (source)", SourceTree: "app"}
	code := func(line int, msg string) scanner.Finding {
		return scanner.Finding{CheckID: "code-tls-verification-disabled", Severity: scanner.High, Message: msg,
			Location: fileloc.Location{File: "app/lib/api/client.dart", Line: line, Column: 12}}
	}
	discovered := &scanner.Target{Index: 1, Name: "api.example.com:443", Host: "api.example.com", Port: 443, ServerName: "api.example.com",
		Sources: []fileloc.Location{{File: "app/lib/config.dart", Line: 4}, {File: "app/.env", Line: 2}}}
	fromFile := &scanner.Target{Index: 2, Name: "old", Host: "old.example.com", Port: 443, ServerName: "old.example.com",
		Source: fileloc.Location{File: "targets.yaml", Line: 7, Column: 5}, Sources: []fileloc.Location{{File: "app/lib/legacy.dart", Line: 9}}}
	expired := scanner.Finding{CheckID: "cert-expired", Severity: scanner.Critical, Message: "the leaf certificate expired"}
	results := func(line int) []*scanner.Result {
		return []*scanner.Result{
			{Target: tree, Start: fixtureStart, Findings: []scanner.Finding{code(line, "badCertificateCallback returns true"), code(line+20, "onBadCertificate returns true")}},
			{Target: discovered, Start: fixtureStart, Duration: time.Millisecond, Findings: []scanner.Finding{expired}},
			{Target: fromFile, Start: fixtureStart, Duration: time.Millisecond, Findings: []scanner.Finding{expired}},
		}
	}
	d := parseSARIF(t, renderSARIF(t, meta, results(15)))
	if len(d.Runs) != 2 || d.Runs[0].AutomationDetails.ID != "tlsaudit/app/" || d.Runs[1].AutomationDetails.ID != "tlsaudit/targets.yaml/" {
		t.Fatalf("runs: %+v", d.Runs)
	}
	app := *d.Runs[0].Results
	if len(app) != 3 {
		t.Fatalf("%d results in the source tree's run, want 2 code findings and the discovered host's", len(app))
	}
	at := func(r sarifResultDoc) string {
		l := r.Locations[0].PhysicalLocation
		return l.ArtifactLocation.URI + ":" + strconv.Itoa(l.Region.StartLine) + ":" + strconv.Itoa(l.Region.StartColumn)
	}
	if got := at(app[0]); got != "app/lib/api/client.dart:15:12" || app[0].Locations[0].LogicalLocations[0].Name != "app" {
		t.Errorf("code finding at %s, logical %+v", got, app[0].Locations[0].LogicalLocations)
	}
	if got := at(app[2]); got != "app/lib/config.dart:4:0" || app[2].Locations[0].LogicalLocations[0].Name != "api.example.com:443" {
		t.Errorf("discovered host's result at %s, want the first line naming it", got)
	}
	var raw struct {
		Runs []struct {
			Results []struct {
				RelatedLocations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(renderSARIF(t, meta, results(15)), &raw); err != nil {
		t.Fatal(err)
	}
	related := func(run, res int) []string {
		var out []string
		for _, l := range raw.Runs[run].Results[res].RelatedLocations {
			out = append(out, l.PhysicalLocation.ArtifactLocation.URI+":"+strconv.Itoa(l.PhysicalLocation.Region.StartLine))
		}
		return out
	}
	if got := related(0, 2); len(got) != 1 || got[0] != "app/.env:2" {
		t.Errorf("discovered host's related locations = %v, want its other source", got)
	}
	if got := related(1, 0); len(got) != 1 || got[0] != "targets.yaml:7" {
		t.Errorf("targets-file target's related locations = %v, want its entry", got)
	}
	if got := related(0, 0); len(got) != 0 {
		t.Errorf("a code finding has related locations %v", got)
	}
	file := *d.Runs[1].Results
	if got := at(file[0]); len(file) != 1 || got != "app/lib/legacy.dart:9:0" {
		t.Errorf("a targets-file target with sources points at %s, want its first source line", got)
	}

	// Moving the code (ten lines inserted above) keeps every alert's
	// identity; the two findings of one check in one file stay apart.
	moved := parseSARIF(t, renderSARIF(t, meta, results(25)))
	for i, r := range *moved.Runs[0].Results {
		if r.PartialFingerprints["primaryLocationLineHash"] != app[i].PartialFingerprints["primaryLocationLineHash"] {
			t.Errorf("result %d changed fingerprint when its line moved", i)
		}
	}
	if app[0].PartialFingerprints["primaryLocationLineHash"][:32] == app[1].PartialFingerprints["primaryLocationLineHash"][:32] {
		t.Error("two code findings of one check in one file share an identity")
	}
}
