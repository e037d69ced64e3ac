package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// sarifWriter writes SARIF 2.1.0 for GitHub code scanning and other SARIF
// viewers: one run per targets file (so several files upload as separate
// categories), every check as a rule, one result per finding located at
// its target's entry in the targets file, and targets that could not be
// scanned or checks that could not decide as tool execution notifications.
//
// SARIF is one JSON document whose rules and results are cross-referenced,
// so the writer builds it at Close. It keeps only findings and
// notifications (never chains or handshakes) and sorts them by input
// position, so the document is the same whatever order results arrive in.
//
// Message texts are what people read in code-scanning views, so strings
// from servers in them are escaped as in the table (a bidi override in a
// certificate subject must not reorder an alert's text); properties keep
// the raw values.
type sarifWriter struct {
	w      io.Writer
	meta   Meta
	byID   map[string]*scanner.Check
	runs   []*sarifRun
	byFile map[string]*sarifRun
	seq    int
	// maxResults caps the results of one run (maxSARIFResults; tests
	// lower it).
	maxResults int
	// familyRules maps the rule IDs of family checks (zlint lints) to
	// their metadata, read on first need: a family lists hundreds.
	familyRules map[string]familyRule
}

type familyRule struct {
	rule   scanner.Rule
	family *scanner.Check
}

// maxSARIFResults is GitHub's limit on results in one run; a run with more
// is refused. The most severe are kept and a notification says how many
// were left out (the --format json report has them all).
const maxSARIFResults = 25000

// sarifRun collects what goes into the run of one targets file.
type sarifRun struct {
	file     string // as the loader names it; "" for command-line arguments
	first    int    // the lowest input position among its targets
	uri      string
	inside   bool                    // uri is relative to the source root
	targets  map[*scanner.Target]int // command-line targets: their stand-in line
	findings []pendingFinding
	notes    []pendingNote
}

type pendingFinding struct {
	target  *scanner.Target
	addr    string
	seq     int
	finding scanner.Finding
}

type pendingNote struct {
	target *scanner.Target
	seq    int
	level  string
	text   string
	rule   string // the check that could not decide, if any
	props  map[string]any
}

// InformationURI is where the tool's documentation lives.
const InformationURI = "https://github.com/tlsaudit/tlsaudit"

// sarifSchema is the schema URI GitHub documents for uploads.
const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

func newSARIF(w io.Writer, meta Meta) *sarifWriter {
	s := &sarifWriter{w: w, meta: meta, byID: map[string]*scanner.Check{}, byFile: map[string]*sarifRun{}, maxResults: maxSARIFResults}
	for _, c := range meta.Checks {
		s.byID[c.ID] = c
	}
	return s
}

func (s *sarifWriter) runFor(t *scanner.Target) *sarifRun {
	file := t.Source.File
	tree := s.sourceTreeOf(t)
	key := file
	if tree != "" {
		key = "\x00source:" + tree // no file name starts with NUL
	}
	if run, ok := s.byFile[key]; ok {
		return run
	}
	run := &sarifRun{file: file, inside: true, first: t.Index}
	switch {
	case tree != "":
		run.uri, run.inside = SARIFPath(s.meta.SourceRoot, tree)
	case file == "":
		run.uri = cmp.Or(s.meta.ArgumentsURI, DefaultArgumentsURI)
		run.targets = map[*scanner.Target]int{}
	case isStandIn(file):
		run.uri = StdinURI
	default:
		run.uri, run.inside = SARIFPath(s.meta.SourceRoot, file)
	}
	s.byFile[key] = run
	s.runs = append(s.runs, run)
	return run
}

func (s *sarifWriter) Write(r *scanner.Result) error {
	run := s.runFor(r.Target)
	run.first = min(run.first, r.Target.Index)
	s.seq++
	if run.targets != nil {
		run.targets[r.Target] = 0 // numbered at Close, in input order
	}
	for _, f := range r.Findings {
		run.findings = append(run.findings, pendingFinding{target: r.Target, addr: r.Addr, seq: s.seq, finding: f})
	}
	label := targetText(r.Target)
	if r.Addr != "" && r.Target.AllAddresses {
		label += " at " + r.Addr
	}
	if e := r.Err; e != nil {
		run.notes = append(run.notes, pendingNote{
			target: r.Target, seq: s.seq, level: sarif.LevelError,
			text:  fmt.Sprintf("%s could not be scanned (%s): %s", label, e.Kind, e.Message()),
			props: map[string]any{"errorKind": string(e.Kind)},
		})
	}
	for _, ce := range r.CheckErrors {
		run.notes = append(run.notes, pendingNote{
			target: r.Target, seq: s.seq, level: sarif.LevelWarning, rule: ce.CheckID,
			text: fmt.Sprintf("%s: check %s could not decide: %s", label, ce.CheckID, ce.Err),
		})
	}
	return nil
}

func (s *sarifWriter) Close(sum *Summary) error {
	rep := sarif.NewReport()
	rep.Schema = sarifSchema
	runs := s.runs
	// Runs in the order of the inputs, whatever order results came in.
	slices.SortStableFunc(runs, func(a, b *sarifRun) int { return cmp.Compare(a.first, b.first) })
	if len(runs) == 0 {
		// Nothing was scanned; still a valid log with one empty run.
		runs = []*sarifRun{{uri: cmp.Or(s.meta.ArgumentsURI, DefaultArgumentsURI), inside: true}}
	}
	for _, run := range runs {
		rep.AddRun(s.buildRun(run, sum))
	}
	if err := rep.PrettyWrite(s.w); err != nil {
		return err
	}
	_, err := io.WriteString(s.w, "\n")
	return err
}

// byInput orders by input position, then arrival: the order of the
// targets file whatever order targets finished in.
func byInput(ta, tb *scanner.Target, sa, sb int) int {
	return cmp.Or(cmp.Compare(ta.Index, tb.Index), cmp.Compare(sa, sb))
}

func (s *sarifWriter) buildRun(run *sarifRun, sum *Summary) *sarif.Run {
	slices.SortStableFunc(run.findings, func(a, b pendingFinding) int { return byInput(a.target, b.target, a.seq, b.seq) })
	slices.SortStableFunc(run.notes, func(a, b pendingNote) int { return byInput(a.target, b.target, a.seq, b.seq) })
	if left := len(run.findings) - s.maxResults; left > 0 {
		run.findings = mostSevere(run.findings, s.maxResults)
		run.notes = append(run.notes, pendingNote{level: sarif.LevelWarning,
			text: fmt.Sprintf("%d findings of the least severity were left out: GitHub takes at most %d results per run (the --format json report has them all)", left, s.maxResults)})
	}
	if run.targets != nil {
		ts := make([]*scanner.Target, 0, len(run.targets))
		for t := range run.targets {
			ts = append(ts, t)
		}
		slices.SortFunc(ts, func(a, b *scanner.Target) int { return cmp.Compare(a.Index, b.Index) })
		for i, t := range ts {
			run.targets[t] = i + 1
		}
	}

	out := sarif.NewRunWithInformationURI(cmp.Or(s.meta.Tool, "tlsaudit"), InformationURI)
	out.Tool.Driver.WithVersion(cmp.Or(s.meta.Version, "dev"))
	out.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(automationID(run)))
	out.WithColumnKind("unicodeCodePoints")
	out.WithOriginalUriBaseIds(map[string]sarif.ArtifactLocation{
		srcRoot: *sarif.NewArtifactLocation().WithDescription(sarif.NewTextMessage("The repository root (--sarif-root); target locations are relative to it.")),
	})

	ruleIndex := s.addRules(out, run)
	occurrences := map[string]int{}
	for i := range run.findings {
		p := &run.findings[i]
		out.AddResult(s.result(run, p, ruleIndex, occurrences))
	}

	inv := sarif.NewInvocation().WithExecutionSuccessful(true)
	if !s.meta.Started.IsZero() {
		inv.WithStartTimeUtc(s.meta.Started.UTC().Format(time.RFC3339))
	}
	if sum != nil && !sum.Finished.IsZero() {
		inv.WithEndTimeUtc(sum.Finished.UTC().Format(time.RFC3339))
	}
	for _, n := range run.notes {
		note := sarif.NewNotification().WithLevel(n.level).WithMessage(sarif.NewTextMessage(textsafe.Escape(n.text)))
		if n.target != nil {
			note.AddLocation(s.location(run, n.target, nil))
		}
		if n.rule != "" {
			ref := sarif.NewReportingDescriptorReference().WithID(n.rule)
			if i, ok := ruleIndex[n.rule]; ok {
				ref.WithIndex(i)
			}
			note.WithAssociatedRule(ref)
		}
		if len(n.props) > 0 {
			pb := sarif.NewPropertyBag()
			for k, v := range n.props {
				pb.Add(k, v)
			}
			note.WithProperties(pb)
		}
		inv.AddToolExecutionNotification(note)
	}
	out.AddInvocation(inv)
	return out
}

// mostSevere keeps the n most severe findings (those in force before
// accepted ones, then in input order), in input order.
func mostSevere(fs []pendingFinding, n int) []pendingFinding {
	kept := slices.Clone(fs)
	slices.SortStableFunc(kept, func(a, b pendingFinding) int {
		return cmp.Or(cmp.Compare(b.finding.Severity, a.finding.Severity), compareBool(a.finding.Accepted(), b.finding.Accepted()))
	})
	kept = kept[:n]
	slices.SortStableFunc(kept, func(a, b pendingFinding) int { return byInput(a.target, b.target, a.seq, b.seq) })
	return kept
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// automationID gives each targets file its own code-scanning category, so
// uploading the scan of one file never closes the alerts of another.
func automationID(run *sarifRun) string {
	return "tlsaudit/" + strings.TrimPrefix(run.uri, "file://") + "/"
}

// addRules lists every check (fired or not: a rule with no results is
// how code scanning knows the check ran and closes fixed alerts), then a
// derived rule for each finding ID that is not a check ID, and returns
// each rule's index.
func (s *sarifWriter) addRules(out *sarif.Run, run *sarifRun) map[string]int {
	index := map[string]int{}
	for _, c := range s.meta.Checks {
		index[c.ID] = len(out.Tool.Driver.Rules)
		out.Tool.Driver.AddRule(rule(c))
	}
	worst := map[string]scanner.Severity{}
	var extra []string
	for _, p := range run.findings {
		id := p.finding.CheckID
		if _, known := s.byID[id]; known {
			continue
		}
		if _, seen := worst[id]; !seen {
			extra = append(extra, id)
		}
		worst[id] = max(worst[id], p.finding.Severity)
	}
	slices.Sort(extra)
	for _, id := range extra {
		index[id] = len(out.Tool.Driver.Rules)
		out.Tool.Driver.AddRule(rule(s.describe(id, cmp.Or(worst[id], scanner.Medium))))
	}
	return index
}

// describe gives the rule of a finding ID that is not a check ID: a family
// rule's own metadata (zlint lints), else a rule derived from what is
// known. Only the family rules that fired are listed, not the hundreds a
// family has: GitHub closes an alert that a newer analysis of its
// category no longer has, whether or not its rule is still listed.
func (s *sarifWriter) describe(id string, worst scanner.Severity) *scanner.Check {
	if s.familyRules == nil {
		s.familyRules = map[string]familyRule{}
		for _, c := range s.meta.Checks {
			if c.Rules == nil {
				continue
			}
			for _, r := range c.Rules() {
				s.familyRules[r.ID] = familyRule{r, c}
			}
		}
	}
	if fr, ok := s.familyRules[id]; ok {
		return familyRuleCheck(fr.family, fr.rule)
	}
	family, _, _ := strings.Cut(id, "/")
	return unknownRuleCheck(id, s.byID[family], worst)
}

func (s *sarifWriter) result(run *sarifRun, p *pendingFinding, ruleIndex map[string]int, occurrences map[string]int) *sarif.Result {
	f, t := &p.finding, p.target
	text := targetText(t) + ": " + f.Message
	if f.AcceptanceExpired {
		a := f.Acceptance
		text += fmt.Sprintf(" (the accepted risk ran out on %s: %s)", a.Until.Format(time.DateOnly), a.Reason)
	}
	// The same check may fire twice on one endpoint (several bad suites);
	// GitHub's convention numbers such results hash:1, hash:2.
	hash := identityOf(t, f).hash()
	occurrences[hash]++
	res := sarif.NewRuleResult(f.CheckID).
		WithRuleIndex(ruleIndex[f.CheckID]).
		WithLevel(sarifLevel(f.Severity)).
		WithMessage(sarif.NewTextMessage(textsafe.Escape(text))).
		WithLocations([]*sarif.Location{s.location(run, t, f)}).
		WithPartialFingerprints(map[string]string{"primaryLocationLineHash": hash + ":" + strconv.Itoa(occurrences[hash])})
	if related := s.relatedLocations(t, f); len(related) > 0 {
		res.WithRelatedLocations(related)
	}

	props := sarif.NewPropertyBag()
	props.Add("target", t.Label())
	if t.SourceTree != "" {
		props.Add("sourceTree", t.SourceTree)
	} else {
		props.Add("endpoint", t.HostPort())
		props.Add("servername", t.ServerName)
	}
	props.Add("severity", f.Severity.String())
	if p.addr != "" {
		props.Add("address", p.addr)
	}
	if len(f.Evidence) > 0 {
		props.Add("evidence", f.Evidence)
	}
	if len(t.Tags) > 0 {
		props.Add("targetTags", t.Tags)
	}
	if a := f.Acceptance; a != nil {
		props.Add("acceptance", map[string]string{
			"check": a.Check, "until": a.Until.Format(time.DateOnly), "reason": a.Reason,
			"status": map[bool]string{true: "expired", false: "accepted"}[f.AcceptanceExpired],
		})
	}
	res.WithProperties(props)

	if f.Accepted() {
		a := f.Acceptance
		sup := sarif.NewSuppression().
			WithKind("inSource"). // written in the targets file, next to the target
			WithStatus("accepted").
			WithJustification(fmt.Sprintf("%s (accepted until %s)", a.Reason, a.Until.Format(time.DateOnly)))
		if !a.Source.IsZero() {
			sup.WithLocation(s.fileLocation(a.Source.File, a.Source.Line, a.Source.Column))
		}
		res.WithSuppressions([]*sarif.Suppression{sup})
	}
	return res
}

// location is where a result or notification points: the finding's own
// location when it has one (code findings), else the target's entry in its
// targets file (or its stand-in), with the endpoint as logical location.
func (s *sarifWriter) location(run *sarifRun, t *scanner.Target, f *scanner.Finding) *sarif.Location {
	var loc *sarif.Location
	switch {
	case f != nil && !f.Location.IsZero():
		loc = s.fileLocation(f.Location.File, f.Location.Line, f.Location.Column)
	case len(t.Sources) > 0:
		// A host found in an app's source: the line that names it.
		loc = s.fileLocation(t.Sources[0].File, t.Sources[0].Line, t.Sources[0].Column)
	case run.targets != nil:
		loc = physical(run.uri, true, run.targets[t], 0)
	default:
		loc = physical(run.uri, run.inside, t.Source.Line, t.Source.Column)
	}
	fqn := t.HostPort()
	if t.ServerName != t.Host {
		fqn = t.ServerName + "@" + fqn
	}
	ll := sarif.NewLogicalLocation().WithName(t.HostPort()).WithKind("resource").WithFullyQualifiedName(fqn)
	if t.SourceTree != "" {
		ll = sarif.NewLogicalLocation().WithName(t.SourceTree).WithKind("module")
	}
	loc.WithLogicalLocations([]*sarif.LogicalLocation{ll})
	return loc
}

func (s *sarifWriter) fileLocation(file string, line, col int) *sarif.Location {
	if file == "" || isStandIn(file) {
		return physical(StdinURI, true, line, col)
	}
	uri, inside := SARIFPath(s.meta.SourceRoot, file)
	return physical(uri, inside, line, col)
}

func physical(uri string, relative bool, line, col int) *sarif.Location {
	art := sarif.NewSimpleArtifactLocation(uri)
	if relative {
		art.WithURIBaseID(srcRoot)
	}
	// GitHub needs a region with a line; a target with none (it should
	// not happen) points at the top of its file.
	region := sarif.NewRegion().WithStartLine(max(line, 1))
	if col > 0 && line > 0 {
		region.WithStartColumn(col)
	}
	return sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().WithArtifactLocation(art).WithRegion(region))
}

// targetText names a target in messages: its name, with host:port and
// the server name when the name does not already say them.
func targetText(t *scanner.Target) string {
	if t.SourceTree != "" {
		return t.Label()
	}
	hp := t.HostPort()
	detail := hp
	if t.ServerName != "" && t.ServerName != t.Host {
		detail += ", servername " + t.ServerName
	}
	switch t.Label() {
	case hp:
		if detail == hp {
			return hp
		}
		return hp + " (" + strings.TrimPrefix(detail, hp+", ") + ")"
	case t.ServerName + "@" + hp:
		return t.Label()
	}
	return t.Label() + " (" + detail + ")"
}
