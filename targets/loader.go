package targets

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/inputfile"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// loader turns file entries into scanner targets, collecting every error.
type loader struct {
	file    string // as shown in messages
	dir     string // relative paths in the file resolve against it
	opts    Options
	errs    errorList
	targets []*scanner.Target
	names   map[string]fileloc.Location
	// pools and keys are what this loader looked up (and reported, once)
	// in opts.Files, which reads each file once per run.
	pools   map[string]*x509.CertPool
	keys    map[[2]string]*tls.Certificate
	sources map[string]string // zlint rule sources, lowercased (chain_settings.go)
	// reported holds errors already reported that every target would
	// repeat (timeouts.go).
	reported map[string]bool

	// Streaming (source.go): emit, when set, takes each target in the
	// shard instead of targets; stopped ends the read early. hashed, when
	// set, replaces names for duplicate detection, so a first pass over a
	// long list keeps 16 bytes per target rather than its name.
	emit    func(*scanner.Target) bool
	stopped bool
	hashed  *nameHashes
	offset  int64 // of the line being read, in a line list
	// seen counts targets (in any shard); kept those in the shard.
	seen, kept int
	// decoded is how many YAML nodes decoding visited (decoder.used),
	// aliases and merge keys followed.
	decoded int
	// copied counts the list and map entries that building targets gave
	// each target a copy of, against copyLimit (0: none): budgetBase plus
	// one per byte of the file. Settings a target combines from layers
	// (its own accept list after the defaults') are per target: without a
	// bound, a file's defaults of a thousand entries and a thousand short
	// targets would build a million. Targets that only repeat the
	// defaults' lists share them, and copy a few entries (pins, headers)
	// each: well under one per byte.
	copied, copyLimit int
	// accepts holds each accept list converted for the scanner, so that
	// targets sharing one (the defaults') share its conversion too.
	accepts map[acceptKey][]scanner.Acceptance
}

// acceptKey names an accept list by its first item and length.
type acceptKey struct {
	first *acceptItem
	n     int
}

func newLoader(display, path string, opts Options) *loader {
	dir := "."
	if path != "" && path != "-" {
		dir = filepath.Dir(path)
	}
	if opts.Files == nil {
		opts.Files = NewFileCache()
	}
	return &loader{file: display, dir: dir, opts: opts, names: map[string]fileloc.Location{}, pools: map[string]*x509.CertPool{}, keys: map[[2]string]*tls.Certificate{}}
}

func (l *loader) finish() error {
	if err := l.errs.err(); err != nil {
		return err
	}
	if l.seen == 0 {
		return &Error{Pos: fileloc.Location{File: l.file}, Msg: "no targets"}
	}
	return nil
}

// targetEntry is one item of `targets:`.
type targetEntry struct {
	Name       *string  `yaml:"name"`
	Host       *string  `yaml:"host"`
	ServerName *string  `yaml:"servername"`
	Tags       []string `yaml:"tags"`
	// Sources are where an app's code names the host ("file:line"),
	// written by `tlsaudit discover`.
	Sources  []string `yaml:"sources"`
	Settings `yaml:",inline"`
}

// defaultsEntry is the file's `defaults:`.
type defaultsEntry struct {
	Concurrency *int `yaml:"concurrency"`
	Settings    `yaml:",inline"`
}

// layer is one source of settings and where its fields were written.
type layer struct {
	s     *Settings
	pos   map[string]fileloc.Location
	dir   string                // for relative paths
	nodes map[string]*yaml.Node // for positions of list items
}

// openYAML reads a YAML targets file (up to inputfile.TargetsCap; it may
// be a pipe, -f <(cmd)) and builds its targets in one pass: positions,
// anchors and defaults need the whole document, and YAML files are written
// by hand, so they stay small.
func openYAML(path string, opts Options) (*Source, error) {
	in, err := inputfile.Open(path, inputfile.TargetsCap)
	if err != nil {
		return nil, fmt.Errorf("read targets: %w", err)
	}
	defer in.Close()
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, fmt.Errorf("read targets: %w", err)
	}
	f, err := newLoader(path, path, opts).yamlFile(data)
	if err != nil {
		return nil, err
	}
	return &Source{Path: f.Path, Total: f.Total, Len: len(f.Targets), Concurrency: f.Concurrency, targets: f.Targets}, nil
}

func (l *loader) yamlFile(data []byte) (*File, error) {
	root, err := l.onlyDocument(data)
	if err != nil {
		return nil, err
	}
	d := newDecoder(l.file, &l.errs, len(data))
	l.copyLimit = budgetBase + len(data)
	defer func() { l.decoded = d.used }()
	var top struct {
		Defaults *yaml.Node `yaml:"defaults"`
		Targets  *yaml.Node `yaml:"targets"`
	}
	if root.Kind != yaml.MappingNode {
		d.fail(root, "", "expected a mapping with `defaults:` and `targets:`, got %s", describe(root))
		return nil, l.errs.err()
	}
	topKeys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "defaults":
			top.Defaults = v
		case "targets":
			top.Targets = v
		default:
			d.fail(k, k.Value, "unknown field%s", suggest(k.Value, map[string][]int{"defaults": nil, "targets": nil}))
			continue
		}
		if prev, dup := topKeys[k.Value]; dup {
			d.fail(k, k.Value, "given twice (first at line %d)", prev.Line)
		}
		topKeys[k.Value] = k
	}
	f := &File{Path: l.file}
	var defaults defaultsEntry
	defLayer := layer{s: &defaults.Settings, dir: l.dir}
	if top.Defaults != nil {
		defLayer.nodes = d.mapping(top.Defaults, &defaults, "defaults")
		defLayer.pos = l.positions(defLayer.nodes, d)
		if defaults.Concurrency != nil {
			if err := CheckConcurrency(*defaults.Concurrency); err != nil {
				l.errs.add(defLayer.pos["concurrency"], "concurrency", "%v", err)
			}
			f.Concurrency = *defaults.Concurrency
		}
		l.validateSettings(defLayer)
	}
	if top.Targets == nil {
		d.fail(root, "targets", "missing: list the endpoints to scan under `targets:`")
		return nil, l.errs.err()
	}
	seq := resolve(top.Targets)
	if seq.Kind != yaml.SequenceNode {
		d.fail(seq, "targets", "expected a list of targets, got %s", describe(seq))
		return nil, l.errs.err()
	}
	if len(seq.Content) == 0 {
		d.fail(seq, "targets", "the list is empty")
	}
	for i, item := range seq.Content {
		if l.errs.full() || d.over || l.copyLimit > 0 && l.copied > l.copyLimit {
			break
		}
		var e targetEntry
		nodes := d.mapping(item, &e, fmt.Sprintf("targets[%d]", i))
		if d.over {
			break
		}
		pos := l.positions(nodes, d)
		if pos == nil {
			continue
		}
		itemPos := d.pos(resolve(item))
		if e.Host == nil {
			l.errs.add(itemPos, "host", "missing: every target needs a host")
			continue
		}
		tl := layer{s: &e.Settings, pos: pos, dir: l.dir, nodes: nodes}
		l.validateSettings(tl)
		spec, err := parseHostSpec(*e.Host)
		if err != nil {
			l.errs.add(pos["host"], "host", "%v", err)
			continue
		}
		t := l.build(spec, tl, pos, defLayer, itemPos)
		if e.ServerName != nil {
			sn, err := CanonicalHost(*e.ServerName)
			if err != nil {
				l.errs.add(pos["servername"], "servername", "%v", err)
			}
			t.ServerName = sn
		}
		t.Tags = e.Tags
		t.Sources = l.appSources(nodes["sources"], d)
		name := defaultName(t)
		namePos := itemPos
		if e.Name != nil {
			name, namePos = strings.TrimSpace(*e.Name), pos["name"]
			if name == "" {
				l.errs.add(namePos, "name", "must not be empty")
			}
		}
		l.add(t, name, namePos)
	}
	if err := l.finish(); err != nil {
		return nil, err
	}
	f.Targets, f.Total = l.targets, l.seen
	return f, nil
}

// onlyDocument returns the root node of the file's one YAML document.
// Empty documents (a "---" with nothing after it, as editors and
// generators leave at the end) do not count; a second document with
// content is an error, since its targets would be silently ignored.
func (l *loader) onlyDocument(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root *yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, l.syntaxError(data, err)
		}
		if len(doc.Content) == 0 || isEmptyDocument(doc.Content[0]) {
			continue
		}
		if root != nil {
			return nil, &Error{Pos: fileloc.Location{File: l.file, Line: doc.Line}, Msg: "more than one YAML document; put every target under one `targets:`"}
		}
		root = doc.Content[0]
	}
	if root == nil {
		return nil, &Error{Pos: fileloc.Location{File: l.file}, Msg: "empty targets file"}
	}
	return root, nil
}

// isEmptyDocument reports whether a document's root is nothing at all
// (not even an explicit null).
func isEmptyDocument(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == "" && n.Style == 0
}

func (l *loader) positions(nodes map[string]*yaml.Node, d *decoder) map[string]fileloc.Location {
	if nodes == nil {
		return nil
	}
	out := make(map[string]fileloc.Location, len(nodes))
	for k, n := range nodes {
		out[k] = d.pos(n)
	}
	return out
}

// readLines adds the target on each line of r.
func (l *loader) readLines(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	// Track each line's byte offset, so that a streamed list can re-read
	// one line (source.go) instead of keeping every name.
	var advance int
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		a, tok, err := bufio.ScanLines(data, atEOF)
		advance = a
		return a, tok, err
	})
	n := 0
	var next int64
	for sc.Scan() {
		n++
		l.offset, next = next, next+int64(advance)
		if bytes.IndexByte(sc.Bytes(), 0) >= 0 {
			// A binary file given by mistake (/proc/self/environ, say):
			// none of it is quoted.
			l.errs.add(fileloc.Location{File: l.file, Line: n, Column: 1}, "", "holds a NUL byte: not a list of targets (one host[:port] [servername] per line)")
			break
		}
		text := lineText(sc.Text())
		if strings.TrimSpace(text) == "" {
			continue
		}
		pos := fileloc.Location{File: l.file, Line: n, Column: 1}
		if looksLikeYAML(text) {
			l.errs.add(pos, "", "%s", l.yamlHint())
			break
		}
		l.line(text, pos, "")
		if l.errs.full() || l.stopped {
			break
		}
	}
	if err := sc.Err(); err != nil {
		if tl, ok := errors.AsType[*inputfile.TooLargeError](err); ok {
			return &Error{Pos: fileloc.Location{File: l.file}, Msg: fmt.Sprintf("larger than %s, the most tlsaudit reads from a line list", inputfile.Size(tl.Limit))}
		}
		if errors.Is(err, bufio.ErrTooLong) {
			return &Error{Pos: fileloc.Location{File: l.file, Line: n + 1}, Msg: fmt.Sprintf("line longer than %d KiB; one target per line", maxLine/1024)}
		}
		return fmt.Errorf("read %s: %w", l.file, err)
	}
	return nil
}

// line adds the target written as "host[:port] [servername]".
func (l *loader) line(text string, pos fileloc.Location, what string) {
	fields := strings.Fields(text)
	if len(fields) == 0 || len(fields) > 2 {
		l.errs.add(pos, what, "expected host[:port] and an optional server name, got %s", quote(text))
		return
	}
	spec, err := parseHostSpec(fields[0])
	if err != nil {
		l.errs.add(pos, what, "%v", err)
		return
	}
	t := l.build(spec, layer{s: &Settings{}}, nil, layer{s: &Settings{}}, pos)
	if len(fields) == 2 {
		sn, err := CanonicalHost(fields[1])
		if err != nil {
			l.errs.add(pos, what, "server name: %v", err)
			return
		}
		t.ServerName = sn
	}
	name := defaultName(t)
	l.add(t, name, pos)
}

func (l *loader) add(t *scanner.Target, name string, pos fileloc.Location) {
	if l.hashed != nil {
		if prevLine, dup := l.hashed.duplicate(name, pos.Line, l.offset); dup {
			l.errs.add(pos, "name", "%s", duplicateMsg(name, prevLine))
			return
		}
	} else if prev, dup := l.names[name]; dup {
		l.errs.add(pos, "name", "%s", duplicateMsg(name, prev.Line))
		return
	} else {
		l.names[name] = pos
	}
	if l.opts.Inputs != nil && (l.hashed == nil || !l.hashed.off) {
		l.opts.Inputs.note(l.file, name, pos) // once per target: not when All reads a list again
	}
	t.Name = name
	t.Index = l.seen
	l.seen++
	if !l.opts.Shard.Has(t) {
		return
	}
	l.kept++
	if l.emit != nil {
		l.stopped = !l.emit(t)
		return
	}
	l.targets = append(l.targets, t)
}

func duplicateMsg(name string, prevLine int) string {
	where := "an earlier target"
	if prevLine > 0 {
		where = fmt.Sprintf("line %d", prevLine)
	}
	return fmt.Sprintf("duplicate name %s (also used at %s); give each target a unique name", quote(name), where)
}

// defaultName names a target without a name: host:port, plus the server
// name when it differs from the host.
func defaultName(t *scanner.Target) string {
	if t.ServerName != t.Host {
		return t.ServerName + "@" + t.HostPort()
	}
	return t.HostPort()
}

// build merges the layers (built-in < file defaults < flags < target) into
// a target.
func (l *loader) build(spec hostSpec, own layer, ownPos map[string]fileloc.Location, defaults layer, pos fileloc.Location) *scanner.Target {
	flags := layer{s: &l.opts.Flags, dir: "."}
	eff := Settings{}
	where := map[string]layer{}
	copied := 0
	for _, ly := range []layer{defaults, flags, own} {
		copied += mergeSettings(&eff, ly, where)
	}
	t := &scanner.Target{
		Host:           spec.host,
		Port:           DefaultPort,
		ServerName:     spec.host,
		Path:           spec.path,
		Source:         pos,
		ExpiryWarnDays: DefaultExpiryWarnDays,
		Profile:        scanner.DefaultProfile,
	}
	if eff.Port != nil {
		if spec.port != 0 && spec.port != *eff.Port && where["port"].s == own.s {
			l.errs.add(ownPos["port"], "port", "%d contradicts the port %d in host", *eff.Port, spec.port)
		}
		t.Port = *eff.Port
	}
	if spec.port != 0 {
		t.Port = spec.port
	} else if eff.Port == nil {
		// A protocol named by the URL's scheme or the settings, and no
		// port: the protocol's own port.
		proto := spec.protocol
		if proto == "" && eff.Protocol != nil {
			proto, _ = ParseProtocol(*eff.Protocol)
		}
		if proto != "" {
			t.Port = scanner.ProtocolPort(proto)
		}
	}
	l.timeouts(t, &eff, where, own, defaults)
	if eff.ExpiryWarnDays != nil {
		t.ExpiryWarnDays = *eff.ExpiryWarnDays
	}
	if eff.AllAddresses != nil {
		t.AllAddresses = *eff.AllAddresses
	}
	if eff.Profile != nil {
		// validateSettings reported a bad name where it was written.
		t.Profile, _ = scanner.ParseProfile(*eff.Profile)
	}
	t.Checks = scanner.Selection{Only: eff.Checks, Skip: eff.SkipChecks}
	t.Accept = l.acceptances(eff.Accept)
	if eff.CA != nil {
		ly := where["ca"]
		t.Roots = l.pool(ly, *eff.CA)
		t.RootsName = *eff.CA
	}
	l.buildChainSettings(t, &eff, where)
	l.buildClients(t, &eff)
	l.buildHTTP(t, spec, eff, func(field string) bool { return where[field].s == own.s }, ownPos, pos)
	l.copy(pos, copied+len(t.Pins)+len(t.Zlint)+len(t.HTTP.Headers))
	return t
}

// copy charges count entries copied into one target (see copied); past
// the limit, that is reported once, at the target, and further targets
// are not built (the load fails).
func (l *loader) copy(pos fileloc.Location, count int) {
	if l.copyLimit == 0 || l.copied > l.copyLimit {
		return
	}
	if l.copied += count; l.copied > l.copyLimit {
		l.errs.fatal(pos, "", "the settings every target repeats (accept, skip_checks, pins, zlint, http_headers, from defaults and flags as well as its own) add up to more than %d entries across the targets, the limit for the file's size; set fewer in defaults, or split the file", l.copyLimit)
	}
}

// acceptances converts an accept list for the scanner, once per list.
func (l *loader) acceptances(a AcceptList) []scanner.Acceptance {
	if len(a) == 0 {
		return nil
	}
	k := acceptKey{&a[0], len(a)}
	if out, ok := l.accepts[k]; ok {
		return out
	}
	out := a.acceptances()
	if l.accepts == nil {
		l.accepts = map[acceptKey][]scanner.Acceptance{}
	}
	l.accepts[k] = out
	return out
}

// mergeSettings copies the fields ly sets into eff, recording which layer
// set each, and returns how many list items it copied. skip_checks and
// accept accumulate; every other field is replaced.
//
// A list only one layer sets is shared, not copied: the targets of a file
// all hold its defaults' lists, not a copy each. Its capacity is cut to
// its length, so that appending another layer's items copies it rather
// than writing into the shared array.
func mergeSettings(eff *Settings, ly layer, where map[string]layer) int {
	src := reflect.ValueOf(ly.s).Elem()
	dst := reflect.ValueOf(eff).Elem()
	copied := 0
	for name, idx := range fieldsOf(src.Type()) {
		f := src.FieldByIndex(idx)
		if f.IsNil() {
			continue
		}
		d := dst.FieldByIndex(idx)
		switch {
		case name != "skip_checks" && name != "accept":
			d.Set(f)
		case d.Len() == 0:
			d.Set(f.Slice3(0, f.Len(), f.Len()))
		default:
			copied += d.Len() + f.Len()
			d.Set(reflect.AppendSlice(d, f))
		}
		where[name] = ly
	}
	return copied
}

// validateSettings checks the values a layer sets, at their positions.
func (l *loader) validateSettings(ly layer) {
	s := ly.s
	if s.Port != nil && (*s.Port < 1 || *s.Port > 65535) {
		l.errs.add(ly.pos["port"], "port", "must be from 1 to 65535, got %d", *s.Port)
	}
	// A file's durations were checked as they were decoded; flags were not.
	for _, d := range []struct {
		name string
		v    *Duration
	}{{"timeout", s.Timeout}, {"deadline", s.Deadline}} {
		switch {
		case d.v == nil:
		case *d.v <= 0:
			l.errs.add(ly.pos[d.name], d.name, "must be longer than zero, got %s", time.Duration(*d.v))
		case time.Duration(*d.v) > MaxTimeout:
			l.errs.add(ly.pos[d.name], d.name, "must be at most %s, got %s", MaxTimeout, time.Duration(*d.v))
		}
	}
	switch days := s.ExpiryWarnDays; {
	case days == nil:
	case *days < 0:
		l.errs.add(ly.pos["expiry_warn_days"], "expiry_warn_days", "must not be negative, got %d", *days)
	case *days > MaxExpiryWarnDays:
		l.errs.add(ly.pos["expiry_warn_days"], "expiry_warn_days", "must be at most %d (100 years), got %d", MaxExpiryWarnDays, *days)
	}
	for _, field := range []struct {
		name     string
		patterns []string
	}{{"checks", s.Checks}, {"skip_checks", s.SkipChecks}} {
		for _, p := range field.patterns {
			if err := scanner.ValidatePattern(p, l.opts.Checks); err != nil {
				l.errs.add(ly.pos[field.name], field.name, "%v", err)
			}
		}
	}
	if s.CA != nil {
		l.pool(ly, *s.CA)
	}
	l.validateAccept(ly)
	l.validateChainSettings(ly)
	l.validateClients(ly)
	if s.Profile != nil {
		if _, err := scanner.ParseProfile(*s.Profile); err != nil {
			l.errs.add(ly.pos["profile"], "profile", "%v", err)
		}
	}
	l.validateHTTP(ly)
}

// pool loads a CA file (once per run: opts.Files); a failure is reported
// where the path was written, once per loader.
func (l *loader) pool(ly layer, path string) *x509.CertPool {
	full := path
	if !filepath.IsAbs(full) {
		full = filepath.Join(ly.dir, path)
	}
	if p, ok := l.pools[full]; ok {
		return p
	}
	p, err := l.opts.Files.pool(full)
	if err != nil {
		l.errs.add(ly.pos["ca"], "ca", "%v", err)
	}
	l.pools[full] = p
	return p
}
