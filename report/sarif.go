package report

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/tlsaudit/tlsaudit/internal/spill"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// sarifWriter writes SARIF 2.1.0 for GitHub code scanning and other SARIF
// viewers: one run per targets file (so several files upload as separate
// categories), every check as a rule, one result per finding located at
// its target's entry in the targets file, and targets that could not be
// scanned or checks that could not decide as tool execution notifications.
//
// SARIF is one JSON document whose results are sorted by input position
// (so the document is the same whatever order results arrive in), capped
// at the most severe, and numbered against rules only known at the end
// (the family rules that fired). So the writer keeps, per finding or
// notification, only a small entry to sort on, and the finding itself in
// a spill file (on disk past a few MiB); at Close it writes the document
// run by run, one result at a time: memory grows by tens of bytes per
// finding, not by the finding.
//
// Message texts are what people read in code-scanning views, so strings
// from outside in them are escaped as in the table (a bidi override in a
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
	// spill holds each finding and notification (a sarifRecord) until
	// Close; ids interns their finding IDs.
	spill *spill.File
	// notices are what Close left out, for Notices.
	notices []string
	ids     []string
	idOf    map[string]int32
	// untrusted is set when results were read back from reports (merge):
	// the files they name are not this run's inputs (see safeURI).
	untrusted bool
	err       error
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
	file   string // as the loader names it; "" for command-line arguments
	first  int    // the lowest input position among its targets
	uri    string
	inside bool // uri is relative to the source root
	// args, for command-line targets, maps each one's input position to
	// its stand-in line, numbered at Close.
	args     map[int]int
	findings []sarifEntry
	notes    []sarifEntry
}

// sarifEntry is what the writer holds of one finding or notification
// until Close: what it is sorted and capped on, and where the rest is.
type sarifEntry struct {
	index    int // the target's input position
	seq      int // arrival, among results
	rec      spill.Ref
	check    int32 // the finding ID, in ids
	severity scanner.Severity
	accepted bool
}

type pendingFinding struct {
	target  *scanner.Target
	addr    string
	finding scanner.Finding
}

// InformationURI is where the tool's documentation lives.
const InformationURI = "https://github.com/tlsaudit/tlsaudit"

// sarifSchema is the schema URI GitHub documents for uploads.
const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

func newSARIF(w io.Writer, meta Meta) *sarifWriter {
	s := &sarifWriter{w: w, meta: meta, byID: map[string]*scanner.Check{}, byFile: map[string]*sarifRun{},
		maxResults: maxSARIFResults, spill: spill.New(0), idOf: map[string]int32{}}
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
		run.uri, run.inside = s.path(tree)
	case file == "":
		run.uri = cmp.Or(s.meta.ArgumentsURI, DefaultArgumentsURI)
		run.args = map[int]int{}
	case isStandIn(file):
		run.uri = StdinURI
	default:
		run.uri, run.inside = s.path(file)
	}
	s.byFile[key] = run
	s.runs = append(s.runs, run)
	return run
}

func (s *sarifWriter) id(check string) int32 {
	if i, ok := s.idOf[check]; ok {
		return i
	}
	i := int32(len(s.ids))
	s.ids = append(s.ids, check)
	s.idOf[check] = i
	return i
}

// keep puts rec in the spill file and returns its entry.
func (s *sarifWriter) keep(rec *sarifRecord, e sarifEntry) (sarifEntry, error) {
	b, err := json.Marshal(rec)
	if err == nil {
		e.rec, err = s.spill.Append(b)
	}
	return e, err
}

func (s *sarifWriter) Write(r *scanner.Result) error {
	if s.err != nil {
		return s.err
	}
	run := s.runFor(r.Target)
	run.first = min(run.first, r.Target.Index)
	s.seq++
	if run.args != nil {
		run.args[r.Target.Index] = 0 // numbered at Close, in input order
	}
	target := recordTarget(r.Target)
	base := sarifEntry{index: r.Target.Index, seq: s.seq}
	for i := range r.Findings {
		f := &r.Findings[i]
		e := base
		e.check, e.severity, e.accepted = s.id(f.CheckID), f.Severity, f.Accepted()
		e, err := s.keep(&sarifRecord{Target: target, Addr: bstr(r.Addr), Finding: recordFinding(f)}, e)
		if err != nil {
			s.err = err
			return err
		}
		run.findings = append(run.findings, e)
	}
	label := targetText(r.Target)
	if r.Addr != "" && r.Target.AllAddresses {
		label += " at " + r.Addr
	}
	var notes []*sarifNote
	if e := r.Err; e != nil {
		notes = append(notes, &sarifNote{Level: sarif.LevelError, ErrorKind: bstr(e.Kind),
			Text: bstr(fmt.Sprintf("%s could not be scanned (%s): %s", label, e.Kind, e.Message()))})
	}
	for _, ce := range r.CheckErrors {
		notes = append(notes, &sarifNote{Level: sarif.LevelWarning, Rule: bstr(ce.CheckID),
			Text: bstr(fmt.Sprintf("%s: check %s could not decide: %s", label, ce.CheckID, ce.Err))})
	}
	for _, n := range notes {
		e, err := s.keep(&sarifRecord{Target: target, Note: n}, base)
		if err != nil {
			s.err = err
			return err
		}
		run.notes = append(run.notes, e)
	}
	return nil
}

func (s *sarifWriter) Close(sum *Summary) error {
	defer s.spill.Close()
	if s.err != nil {
		return s.err
	}
	runs := s.runs
	// Runs in the order of the inputs, whatever order results came in.
	slices.SortStableFunc(runs, func(a, b *sarifRun) int { return cmp.Compare(a.first, b.first) })
	if len(runs) == 0 {
		// Nothing was scanned; still a valid log with one empty run.
		runs = []*sarifRun{{uri: cmp.Or(s.meta.ArgumentsURI, DefaultArgumentsURI), inside: true}}
	}
	rep := sarif.NewReport()
	rep.Schema = sarifSchema
	doc, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(s.w, 64<<10)
	head, tail, indent, err := splitEmptyArray(doc, "runs")
	if err != nil {
		return err
	}
	bw.Write(head)
	list := newJSONArray(bw, indent)
	for _, run := range runs {
		list.next()
		if err := s.writeRun(bw, run, sum, list.itemIndent()); err != nil {
			return err
		}
	}
	list.end()
	bw.Write(tail)
	bw.WriteString("\n")
	return bw.Flush()
}

// byInput orders by input position, then arrival: the order of the
// targets file whatever order targets finished in.
func byInput(a, b sarifEntry) int {
	return cmp.Or(cmp.Compare(a.index, b.index), cmp.Compare(a.seq, b.seq))
}

// writeRun writes one run as json.MarshalIndent would at indent: the run
// without its results and notifications, marshalled whole (it is small),
// with the two lists spliced in one element at a time.
func (s *sarifWriter) writeRun(w *bufio.Writer, run *sarifRun, sum *Summary, indent string) error {
	slices.SortStableFunc(run.findings, byInput)
	slices.SortStableFunc(run.notes, byInput)
	var leftOut string
	if left := len(run.findings) - s.maxResults; left > 0 {
		run.findings = mostSevere(run.findings, s.maxResults)
		leftOut = fmt.Sprintf("%d %s of the least severity %s left out: GitHub takes at most %d results per run (the --format json or jsonl report has them all; or split the targets into several files, one run each)",
			left, words.Plural(left, "finding", "findings"), words.Plural(left, "was", "were"), s.maxResults)
		s.notices = append(s.notices, fmt.Sprintf("SARIF report, run for %s: %s", run.uri, leftOut))
	}
	if run.args != nil {
		idx := make([]int, 0, len(run.args))
		for i := range run.args {
			idx = append(idx, i)
		}
		slices.Sort(idx)
		for line, i := range idx {
			run.args[i] = line + 1
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
	inv := sarif.NewInvocation().WithExecutionSuccessful(true)
	if !s.meta.Started.IsZero() {
		inv.WithStartTimeUtc(s.meta.Started.UTC().Format(time.RFC3339))
	}
	if sum != nil && !sum.Finished.IsZero() {
		inv.WithEndTimeUtc(sum.Finished.UTC().Format(time.RFC3339))
	}
	out.AddInvocation(inv)
	skeleton, err := json.MarshalIndent(out, indent, "  ")
	if err != nil {
		return err
	}
	head, rest, noteIndent, err := splitEmptyArray(skeleton, "toolExecutionNotifications")
	if err != nil {
		return err
	}
	middle, tail, resultIndent, err := splitEmptyArray(rest, "results")
	if err != nil {
		return err
	}

	w.Write(head)
	notes := newJSONArray(w, noteIndent)
	var buf []byte
	var rec sarifRecord
	for _, e := range run.notes {
		if buf, err = s.read(e, buf, &rec); err != nil {
			return err
		}
		if err := notes.add(s.notification(run, rec.Note, rec.Target.target(), ruleIndex)); err != nil {
			return err
		}
	}
	if leftOut != "" {
		if err := notes.add(s.notification(run, &sarifNote{Level: sarif.LevelWarning, Text: bstr(leftOut)}, nil, ruleIndex)); err != nil {
			return err
		}
	}
	notes.end()
	w.Write(middle)
	results := newJSONArray(w, resultIndent)
	occurrences := map[string]int{}
	for _, e := range run.findings {
		if buf, err = s.read(e, buf, &rec); err != nil {
			return err
		}
		p := &pendingFinding{target: rec.Target.target(), addr: string(rec.Addr), finding: rec.Finding.finding()}
		if err := results.add(s.result(run, p, ruleIndex, occurrences)); err != nil {
			return err
		}
	}
	results.end()
	_, err = w.Write(tail)
	return err
}

func (s *sarifWriter) read(e sarifEntry, buf []byte, rec *sarifRecord) ([]byte, error) {
	b, err := s.spill.Read(e.rec, buf)
	if err != nil {
		return buf, err
	}
	*rec = sarifRecord{}
	return b, json.Unmarshal(b, rec)
}

func (s *sarifWriter) notification(run *sarifRun, n *sarifNote, t *scanner.Target, ruleIndex map[string]int) *sarif.Notification {
	note := sarif.NewNotification().WithLevel(n.Level).WithMessage(sarifText(string(n.Text)))
	if t != nil {
		note.AddLocation(s.location(run, t, nil))
	}
	if n.Rule != "" {
		ref := sarif.NewReportingDescriptorReference().WithID(string(n.Rule))
		if i, ok := ruleIndex[string(n.Rule)]; ok {
			ref.WithIndex(i)
		}
		note.WithAssociatedRule(ref)
	}
	if n.ErrorKind != "" {
		note.WithProperties(sarif.NewPropertyBag().Add("errorKind", string(n.ErrorKind)))
	}
	return note
}

// sarifText is every message text the document shows: escaped, as the
// table escapes what it prints.
func sarifText(s string) *sarif.Message { return sarif.NewTextMessage(textsafe.Escape(s)) }

// mostSevere keeps the n most severe findings (those in force before
// accepted ones, then in input order), in input order.
func mostSevere(fs []sarifEntry, n int) []sarifEntry {
	kept := slices.Clone(fs)
	slices.SortStableFunc(kept, func(a, b sarifEntry) int {
		return cmp.Or(cmp.Compare(b.severity, a.severity), compareBool(a.accepted, b.accepted))
	})
	kept = kept[:n]
	slices.SortStableFunc(kept, byInput)
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
	for _, e := range run.findings {
		id := s.ids[e.check]
		if _, known := s.byID[id]; known {
			continue
		}
		if _, seen := worst[id]; !seen {
			extra = append(extra, id)
		}
		worst[id] = max(worst[id], e.severity)
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
		WithMessage(sarifText(text)).
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
			WithJustification(textsafe.Escape(fmt.Sprintf("%s (accepted until %s)", a.Reason, a.Until.Format(time.DateOnly))))
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
	case run.args != nil:
		loc = physical(run.uri, true, run.args[t.Index], 0)
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
	uri, inside := s.path(file)
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
