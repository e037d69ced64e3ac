// Package discover reads an app's source tree: the API hosts it talks to
// (for a targets file), the certificate pins it sets, and, by running the
// code checks (scanner.NeedSource) over each file, the places where it
// undermines TLS.
//
// Matching is lexical, not a parse: each file is tokenized once so that
// comments never match and code patterns ignore string contents, then
// read with patterns precise enough to tell `badCertificateCallback = …
// => true` from `=> false`. The README lists what is recognised.
package discover

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/inputfile"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// DropFileName is the drop file read from a tree's root when present, so a
// team can commit its own additions next to the code.
const DropFileName = ".tlsaudit-drop"

// An InputError is a problem with what the user asked for (a path that
// is not a directory, a bad pattern or drop file), as opposed to a failure
// while reading the tree.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Options tune discovery.
type Options struct {
	// Checks are the known checks; those that read source (NeedSource)
	// and that Selection allows run on every file.
	Checks    []*scanner.Check
	Selection scanner.Selection
	// Drop and Keep are host patterns added to the drop list, and taken
	// out of it (the most specific pattern decides; a keep wins a tie).
	Drop, Keep []string
	// DropFile, if set, is read like the tree's own .tlsaudit-drop.
	DropFile string
	// IncludeTests reads test directories and files too.
	IncludeTests bool
	// Exclude are files never read: the targets file being written, which
	// may live in the tree and names the hosts it names.
	Exclude []string
	// MaxFileSize skips larger files; default DefaultMaxFileSize.
	MaxFileSize int64
	// Now is the clock checks see; zero means time.Now().
	Now time.Time
	// Context, if set, stops the reading when it is done (an
	// interrupt): Run then returns its error.
	Context context.Context
}

// A Host is one host:port the app's source names.
type Host struct {
	Host string
	Port int
	// Sources are the lines that name it, in tree order.
	Sources []fileloc.Location
	// Pins are the pin sets the app applies to it.
	Pins []*appcode.PinSet
	// CleartextOnly is set when the app names it only with http://.
	CleartextOnly bool
	// Protocol is what the app speaks to it when that is not HTTPS: the
	// scheme of its URL (smtp://, postgres://) or a well-known port
	// (5432, 587); empty for HTTPS.
	Protocol scanner.Protocol
}

// HostPort is host:port, IPv6 in brackets.
func (h *Host) HostPort() string { return net.JoinHostPort(h.Host, strconv.Itoa(h.Port)) }

// Stats count what the walk read and left.
type Stats struct {
	Files       int   // files read
	Bytes       int64 // their size
	SkippedDirs int   // build, dependency, tool and test directories not entered
	Ignored     int   // files and directories .gitignore excludes
	TooLarge    int
	Binary      int
	Unreadable  int
	// Dropped maps each drop reason to the distinct hosts it dropped.
	Dropped map[string][]string
	// Duration is the time discovery took.
	Duration time.Duration
}

// A Discovery is what Run found.
type Discovery struct {
	// Target stands for the source tree in reports: its result holds the
	// code findings.
	Target      *scanner.Target
	Hosts       []*Host
	Findings    []scanner.Finding
	CheckErrors []scanner.CheckError
	// PinSets are every pin set found, in tree order.
	PinSets []*appcode.PinSet
	// Platforms are the oldest Android and iOS versions the app supports
	// (platforms.go); ATS is its App Transport Security policy, when it
	// has an Info.plist.
	Platforms []Platform
	ATS       *appcode.ATSPolicy
	Stats     Stats
	start     time.Time
	maxSize   int64
}

// Result is the source tree's result for reports: the code findings,
// each with its file and line.
func (d *Discovery) Result() *scanner.Result {
	return &scanner.Result{
		Target:      d.Target,
		Start:       d.start,
		Duration:    d.Stats.Duration,
		Findings:    d.Findings,
		CheckErrors: d.CheckErrors,
	}
}

// fileFacts is what one file contributed, kept after its text is dropped.
type fileFacts struct {
	path  string
	found []found
	pins  []*appcode.PinSet
}

// Run discovers the hosts, pins and code findings of the tree at root.
// Paths in locations are root joined with the file's path in the tree, so
// they name the file from where the user ran the command.
func Run(root string, opts Options) (*Discovery, error) {
	start := time.Now()
	now := opts.Now
	if now.IsZero() {
		now = start
	}
	tree, err := inputfile.OpenTree(root)
	if err != nil {
		return nil, &InputError{fmt.Errorf("source tree: %w", err)}
	}
	defer tree.Close()
	filter, err := buildFilter(tree, root, opts)
	if err != nil {
		return nil, err
	}
	d := &Discovery{
		Target: &scanner.Target{Name: filepath.ToSlash(root) + " (source)", SourceTree: filepath.ToSlash(root), Checks: opts.Selection},
		Stats:  Stats{Dropped: map[string][]string{}},
		start:  start,
	}
	d.maxSize = cmp.Or(opts.MaxFileSize, DefaultMaxFileSize)
	w := &walker{tree: tree, root: root, includeTests: opts.IncludeTests, maxSize: d.maxSize, stats: &d.Stats, exclude: map[string]bool{}}
	for _, x := range opts.Exclude {
		if abs, err := filepath.Abs(x); err == nil {
			w.exclude[abs] = true
		}
		if st, err := os.Stat(x); err == nil {
			w.excludeFiles = append(w.excludeFiles, st)
		}
	}
	files, err := w.walk()
	if err != nil {
		return nil, err
	}
	var codeChecks []*scanner.Check
	for _, c := range opts.Checks {
		if c.Needs&scanner.NeedSource != 0 && opts.Selection.Allows(c.ID) {
			codeChecks = append(codeChecks, c)
		}
	}

	// Dart code names hosts through constants of other files
	// (Uri.https(Config.apiHost, …)): read every Dart file's constants
	// first. The files stay read, lexed and scanned for the second pass
	// (global holds their text through its constants anyway).
	global := map[string]constant{}
	dart := map[string]dartFile{} // by path in the tree; src nil: unreadable, counted
	for _, f := range files {
		if err := stopped(opts.Context); err != nil {
			return nil, err
		}
		if f.lang != "dart" {
			continue
		}
		src := d.read(tree, root, f, true)
		df := dartFile{src: src}
		if src != nil {
			df.consts = constants(src)
			for name, k := range df.consts {
				if _, seen := global[name]; !seen {
					global[name] = k
				}
			}
		}
		dart[f.rel] = df
	}

	var facts []*fileFacts
	var plat platformFacts
	for _, f := range w.buildFiles {
		plat.buildFile(tree, root, f, d.maxSize)
	}
	dropped := map[string]map[string]bool{}
	for _, f := range files {
		if err := stopped(opts.Context); err != nil {
			return nil, err
		}
		df, read := dart[f.rel]
		if !read {
			df.src = d.read(tree, root, f, true)
		}
		src := df.src
		if src == nil {
			continue
		}
		plat.source(src)
		ff := d.extract(tree, root, src, df.consts, global, filter, dropped)
		facts = append(facts, ff)
		r := &scanner.Result{Target: d.Target, Source: src}
		for _, c := range codeChecks {
			if err := scanner.RunCheck(c, r, now, func(fd scanner.Finding) { d.Findings = append(d.Findings, fd) }); err != nil {
				d.CheckErrors = append(d.CheckErrors, scanner.CheckError{CheckID: c.ID, Err: src.Path + ": " + err.Error(), Severity: c.UndecidedSeverity(d.Target)})
			}
		}
	}
	for reason, hosts := range dropped {
		for h := range hosts {
			d.Stats.Dropped[reason] = append(d.Stats.Dropped[reason], h)
		}
		slices.Sort(d.Stats.Dropped[reason])
	}
	if d.Stats.Files == 0 {
		return nil, &InputError{noSources(root, d.Stats)}
	}
	d.collect(facts)
	d.Platforms, d.ATS = plat.platforms(), plat.ats
	d.Findings = dedupe(d.Findings)
	slices.SortStableFunc(d.Findings, func(a, b scanner.Finding) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.Location.File, b.Location.File),
			cmp.Compare(a.Location.Line, b.Location.Line), cmp.Compare(a.Location.Column, b.Location.Column))
	})
	d.Stats.Duration = time.Since(start)
	return d, nil
}

// stopped is the error of ctx once it is done, if there is one.
func stopped(ctx context.Context) error {
	if ctx == nil {
		return nil
	}
	return context.Cause(ctx)
}

// dedupe drops repeated findings: a Dart constant used in several files
// is one http:// URL, reported once at its definition.
func dedupe(fs []scanner.Finding) []scanner.Finding {
	seen := map[string]bool{}
	return slices.DeleteFunc(fs, func(f scanner.Finding) bool {
		key := f.CheckID + "\x00" + f.Location.String() + "\x00" + f.Message
		if seen[key] {
			return true
		}
		seen[key] = true
		return false
	})
}

func buildFilter(tree *inputfile.Tree, root string, opts Options) (*hostFilter, error) {
	filter := newHostFilter()
	for _, p := range opts.Drop {
		if err := filter.drop.add(p, "dropped by --drop"); err != nil {
			return nil, &InputError{fmt.Errorf("--drop: %v", err)}
		}
	}
	for _, p := range opts.Keep {
		if err := filter.keep.add(p, "kept by --keep"); err != nil {
			return nil, &InputError{fmt.Errorf("--keep: %v", err)}
		}
	}
	// The tree's own drop file is read through the tree, so a link to
	// anything outside it is refused; --drop-file names a file the user
	// chose.
	data, err := tree.ReadFile(DropFileName, inputfile.PatternCap)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, &InputError{fmt.Errorf("drop file %v", err)} // names the file
	default:
		if err := filter.readDropFile(data, filepath.ToSlash(filepath.Join(root, DropFileName))); err != nil {
			return nil, &InputError{fmt.Errorf("drop file %v", err)}
		}
	}
	if opts.DropFile != "" {
		data, err := inputfile.ReadFile(opts.DropFile, inputfile.PatternCap)
		if err == nil {
			err = filter.readDropFile(data, filepath.ToSlash(opts.DropFile))
		}
		if err != nil {
			return nil, &InputError{fmt.Errorf("drop file %v", err)}
		}
	}
	return filter, nil
}

// noSources says why a tree gave no file to read: a discovery that read
// nothing has found nothing, which is no clean result (a path to the wrong
// folder, a tree of links, an ignore file that excludes everything).
func noSources(root string, st Stats) error {
	var why []string
	for _, s := range []struct {
		n    int
		what string
	}{{st.Ignored, "ignored by .gitignore"}, {st.SkippedDirs, words.Plural(st.SkippedDirs, "build, dependency or test folder", "build, dependency or test folders")},
		{st.TooLarge, "too large"}, {st.Binary, "binary"}, {st.Unreadable, "unreadable"}} {
		if s.n > 0 {
			why = append(why, fmt.Sprintf("%d %s", s.n, s.what))
		}
	}
	msg := fmt.Sprintf("source tree %s: no source file to read", textsafe.Escape(root))
	if len(why) > 0 {
		msg += " (skipped: " + strings.Join(why, ", ") + ")"
	}
	return errors.New(msg + "; the README lists the files discover reads")
}

// read reads and lexes one file; nil when it cannot be read or is binary.
func (d *Discovery) read(tree *inputfile.Tree, root string, f file, count bool) *appcode.SourceFile {
	text, err := readText(tree, f.rel, d.maxSize)
	if err != nil {
		if count {
			switch {
			case errors.Is(err, errBinary):
				d.Stats.Binary++
			case errors.As(err, new(*inputfile.TooLargeError)):
				d.Stats.TooLarge++ // grew since the walk listed it
			default:
				d.Stats.Unreadable++
			}
		}
		return nil
	}
	if count {
		d.Stats.Files++
		d.Stats.Bytes += int64(len(text))
	}
	return appcode.NewSourceFile(displayPath(root, f.rel), f.lang, text)
}

// displayPath is how reports name a file: root joined with its path in
// the tree, slash-separated.
func displayPath(root, rel string) string {
	return filepath.ToSlash(filepath.Join(root, filepath.FromSlash(rel)))
}

// dartFile is a Dart file as the first pass read it, with its constants.
type dartFile struct {
	src    *appcode.SourceFile
	consts map[string]constant
}

// extract finds the hosts and pins of one file, filters the hosts through
// the drop list and records the kept ones on src for the code checks.
// local are the file's constants, when already known (Dart).
func (d *Discovery) extract(tree *inputfile.Tree, root string, src *appcode.SourceFile, local, global map[string]constant, filter *hostFilter, dropped map[string]map[string]bool) *fileFacts {
	if local == nil && (src.Lang == "dart" || src.Lang == "kotlin" || src.Lang == "java") {
		local = constants(src) // Uri.https(apiHost, …) and pinner pins name constants
	}
	var all []found
	all = append(all, findURLs(src)...)
	all = append(all, findConstantHosts(src)...)
	var pins []*appcode.PinSet
	switch src.Lang {
	case "dart":
		lookup := func(name string) (constant, bool) {
			if k, ok := local[name]; ok {
				return k, true
			}
			k, ok := global[name]
			return k, ok
		}
		all = append(all, findDartURIs(src, lookup)...)
		pins = dartSecurityContext(src, tree, root)
	case "xml":
		h, p := networkSecurityConfig(src)
		all, pins = append(all, h...), p
	case "kotlin", "java":
		h, p := okHTTPPinner(src, local)
		all, pins = append(all, h...), p
	}
	if src.Lang == "xml" || src.Lang == "plist" {
		all = slices.DeleteFunc(all, func(f found) bool { return f.file == src && inXMLMetadata(src.Code, f.offset) })
	}
	all = slices.DeleteFunc(all, func(f found) bool {
		switch {
		case f.form != "url":
		case inProse(f.file.Code, f.offset):
			noteDrop(dropped, proseReason, f.host)
			return true
		case underDocKey(f.file.Code, f.offset):
			noteDrop(dropped, docKeyReason, f.host)
			return true
		case schemaPath.MatchString(urlRest(f.file.Code, f.offset)):
			noteDrop(dropped, schemaReason, f.host)
			return true
		}
		return false
	})
	ff := &fileFacts{path: src.Path, pins: pins}
	seen := map[string]bool{}
	for _, f := range all {
		key := fmt.Sprintf("%s:%d:%s", f.file.Path, f.offset, f.host)
		if seen[key] {
			continue
		}
		seen[key] = true
		if reason := filter.dropped(f.host); reason != "" {
			noteDrop(dropped, reason, f.host)
			continue
		}
		ff.found = append(ff.found, f)
		src.Endpoints = append(src.Endpoints, appcode.SourceEndpoint{
			Scheme: f.scheme, Host: f.host, Port: f.port, At: f.file.Location(f.offset), Form: f.form,
		})
	}
	src.PinSets = pins
	d.PinSets = append(d.PinSets, pins...)
	return ff
}

func noteDrop(dropped map[string]map[string]bool, reason, host string) {
	if dropped[reason] == nil {
		dropped[reason] = map[string]bool{}
	}
	dropped[reason][host] = true
}

// proseReason is why a URL inside a sentence is dropped.
const proseReason = "links inside prose (messages, descriptions), not URLs the app calls"

// inProse reports whether the URL whose host starts at offset sits inside
// a sentence — "see https://…", "Visit https://… for help" — rather than
// being the whole value of a string, attribute or key: an app calls the
// second kind; the first is documentation. The value starts after the
// nearest quote, '>', '=' or ": " before the URL on its line; words and a
// space between it and the URL make a sentence.
func inProse(code string, offset int) bool {
	before, ok := beforeURL(code, offset)
	if !ok {
		return false
	}
	start := strings.LastIndexAny(before, "\"'`>=")
	if c := strings.LastIndex(before, ": "); c >= 0 && c+1 > start {
		start = c + 1
	}
	value := before[start+1:]
	return strings.TrimSpace(value) != "" && strings.TrimRight(value, " \t") != value
}

// beforeURL is the text on the line before the scheme of the URL whose
// host starts at offset; false when no http scheme precedes the host.
func beforeURL(code string, offset int) (string, bool) {
	lineStart := strings.LastIndexByte(code[:offset], '\n') + 1
	before := code[lineStart:offset]
	schemeAt := strings.LastIndex(strings.ToLower(before), "http")
	if schemeAt < 0 {
		return "", false
	}
	return before[:schemeAt], true
}

// schemaReason is why a schema or namespace URL is dropped.
const schemaReason = "schema, DTD and namespace URLs (by their path)"

// schemaPath matches the path of a URL that names a vocabulary: an XML
// schema or DTD, a JSON schema, a namespace.
var schemaPath = regexp.MustCompile(`(?i)(\.xsd|\.dtd|schema[\w.\-]*\.json)$|/(schemas?|xmlns|ns|dtds?)(/|$)`)

// urlRest is the path (and query) of the URL whose host starts at offset.
func urlRest(code string, offset int) string {
	end := offset + strings.IndexAny(code[offset:]+" ", " \t\r\n'\"\x60<>()\\")
	rest := code[offset:end]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[i:]
	} else {
		return ""
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// docKeyReason is why a URL under a documentation key is dropped.
const docKeyReason = "links under documentation keys (help, docs, licence, privacy, citation, ...)"

var (
	keyBeforeValue = regexp.MustCompile(`([A-Za-z_$][\w$.\-]*)["']?\s*(?::\s*[\w.<>?]+\s*)?[:=]\s*@?["'\x60]?$`)
	xmlNameAttr    = regexp.MustCompile(`\bname\s*=\s*"([^"]+)"[^<>]*>$`)
	docWords       = map[string]bool{
		"citation": true, "cite": true, "reference": true, "references": true, "doc": true, "docs": true,
		"documentation": true, "help": true, "homepage": true, "license": true, "licence": true, "learn": true,
		"see": true, "website": true, "privacy": true, "terms": true, "tos": true, "support": true, "issues": true,
		"bugs": true, "repository": true, "repo": true, "changelog": true, "faq": true, "blog": true, "about": true,
		"feedback": true, "spec": true, "rfc": true, "wiki": true, "schema": true, "namespace": true, "xmlns": true,
	}
)

// underDocKey reports whether the URL whose host starts at offset is the
// value of a key whose name says it is documentation (helpUrl = "…",
// Citation: "…", <string name="privacy_url">…): a page for people, not an
// API. A name that also says api (supportApiUrl) is kept.
func underDocKey(code string, offset int) bool {
	before, ok := beforeURL(code, offset)
	if !ok {
		return false
	}
	var key string
	if m := keyBeforeValue.FindStringSubmatch(before); m != nil {
		key = m[1]
	} else if m := xmlNameAttr.FindStringSubmatch(before); m != nil {
		key = m[1]
	}
	doc := false
	for _, w := range splitWords(key) {
		if w == "api" {
			return false
		}
		doc = doc || docWords[w]
	}
	return doc
}

// inXMLMetadata reports whether offset is inside an XML namespace or
// schema attribute or a DOCTYPE: URLs there name vocabularies, not hosts.
func inXMLMetadata(code string, offset int) bool {
	lineStart := strings.LastIndexByte(code[:offset], '\n') + 1
	before := code[lineStart:offset]
	if strings.Contains(before, "<!DOCTYPE") {
		return true
	}
	q := strings.LastIndexAny(before, `"'`)
	if q < 0 {
		return false
	}
	attr := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(before[:q]), "="))
	if i := strings.LastIndexAny(attr, " \t<"); i >= 0 {
		attr = attr[i+1:]
	}
	return attr == "xmlns" || strings.HasPrefix(attr, "xmlns:") || strings.HasSuffix(attr, "schemaLocation") ||
		strings.HasSuffix(attr, "noNamespaceSchemaLocation")
}

// collect groups the kept hosts into one Host per host:port and attaches
// the pin sets that apply to each.
func (d *Discovery) collect(facts []*fileFacts) {
	byKey := map[string]*Host{}
	https := map[string]bool{}
	named := map[string]map[string]bool{} // file → hosts it names or reaches
	for _, ff := range facts {
		named[ff.path] = map[string]bool{}
		for _, f := range ff.found {
			port := 443
			proto := f.protocol
			switch {
			case proto != "":
				port = cmp.Or(f.port, scanner.ProtocolPort(proto))
			case f.scheme == "https" && f.port != 0:
				port = f.port
				if f.form == "constant" {
					// A bare host:port in config: a well-known port
					// (5432, 587) says what the app speaks to it.
					proto, _ = scanner.PortProtocol(port)
				}
			}
			key := net.JoinHostPort(f.host, strconv.Itoa(port))
			h := byKey[key]
			if h == nil {
				h = &Host{Host: f.host, Port: port}
				byKey[key] = h
				d.Hosts = append(d.Hosts, h)
			}
			if f.scheme == "https" || proto != "" {
				https[key] = true
			}
			if proto != "" {
				h.Protocol = proto
			}
			loc := f.file.Location(f.offset)
			loc.Column = 0
			if !slices.Contains(h.Sources, loc) {
				h.Sources = append(h.Sources, loc)
			}
			if f.scheme == "https" { // pins only matter to TLS connections
				named[ff.path][f.host] = true
			}
		}
	}
	for key, h := range byKey {
		h.CleartextOnly = !https[key]
		// Tree order (file, then line), whatever file a constant was
		// reached from.
		slices.SortFunc(h.Sources, func(a, b fileloc.Location) int {
			return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
		})
	}
	for _, ff := range facts {
		for _, ps := range ff.pins {
			for _, h := range d.Hosts {
				if pinApplies(ps, h.Host, named[ff.path]) {
					h.Pins = append(h.Pins, ps)
				}
			}
		}
	}
	slices.SortFunc(d.Hosts, func(a, b *Host) int { return cmp.Or(cmp.Compare(a.Host, b.Host), cmp.Compare(a.Port, b.Port)) })
}

// pinApplies reports whether a pin set covers host: by its patterns, or,
// without any, when the pinning file names the host.
func pinApplies(ps *appcode.PinSet, host string, sameFile map[string]bool) bool {
	if len(ps.Hosts) == 0 {
		return sameFile[host]
	}
	for _, p := range ps.Hosts {
		switch {
		case strings.HasPrefix(p, "*."):
			if host == p[2:] || strings.HasSuffix(host, p[1:]) {
				return true
			}
		case strings.HasPrefix(p, "+."):
			if rest, ok := strings.CutSuffix(host, p[1:]); ok && rest != "" && !strings.Contains(rest, ".") {
				return true
			}
		case p == host:
			return true
		}
	}
	return false
}
