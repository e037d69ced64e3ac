package targets

import (
	"bytes"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A Discovered host is one an app's source names, to be written to a
// targets file.
type Discovered struct {
	Host string
	Port int
	// Sources are "file:line", relative to the targets file's folder.
	Sources []string
	// Notes become comments above a new entry (pins, cleartext use).
	Notes []string
	// Protocol, when set, is written as the entry's protocol (smtp,
	// postgres, ...).
	Protocol string
}

func (h Discovered) key() string { return net.JoinHostPort(h.Host, strconv.Itoa(h.Port)) }

// MergeStats say what a merge changed.
type MergeStats struct {
	Added     int // targets appended
	Updated   int // targets whose sources changed
	Unchanged int // targets already up to date
	// Stale are targets with sources that discovery no longer finds; they
	// are kept, untouched, since they may be the user's.
	Stale []string
}

// NewDiscoveredFile renders a targets file for discovered hosts, with a
// header comment of the given lines.
func NewDiscoveredFile(header []string, hosts []Discovered) ([]byte, error) {
	var b bytes.Buffer
	for _, h := range header {
		b.WriteString(Comment("", h))
	}
	b.WriteString("targets:\n")
	for i, h := range hosts {
		if i > 0 {
			b.WriteString("\n")
		}
		entry, err := renderEntry(h, "  ", DefaultPort)
		if err != nil {
			return nil, err
		}
		b.WriteString(entry)
	}
	return b.Bytes(), nil
}

// renderEntry writes one list item, its dash at indent, its notes as
// comments above it; the port is written unless it is the file's default.
func renderEntry(h Discovered, indent string, defaultPort int) (string, error) {
	var b strings.Builder
	for _, n := range h.Notes {
		b.WriteString(Comment(indent, n))
	}
	host := h.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	fields := []Field{{Key: "host", Value: host}}
	if h.Port != defaultPort {
		fields = append(fields, Field{Key: "port", Value: h.Port})
	}
	if h.Protocol != "" {
		fields = append(fields, Field{Key: "protocol", Value: h.Protocol})
	}
	fields = append(fields, Field{Key: "sources", Value: h.Sources})
	item, err := EncodeItem(indent, fields, false)
	if err != nil {
		return "", err
	}
	b.WriteString(item)
	return b.String(), nil
}

// renderSources writes "sources:" and its block list at indent.
func renderSources(sources []string, indent string) (string, error) {
	return EncodeMapping(indent, []Field{{Key: "sources", Value: sources}})
}

// MergeDiscovered updates an existing targets file with discovered hosts,
// as a text edit at positions the YAML parser gives, so everything the
// user wrote — comments, blank lines, alignment, field order, other
// fields and targets — stays byte for byte: a target that names a
// discovered host:port gets its `sources` replaced (or added under its
// host), and hosts the file lacks are appended to `targets`.
func MergeDiscovered(data []byte, hosts []Discovered) ([]byte, MergeStats, error) {
	var st MergeStats
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, st, fmt.Errorf("cannot merge into it: invalid YAML: %v", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	lines := splitLines(data)
	if len(doc.Content) == 0 { // empty, or only comments
		out := append(bytes.TrimRight(data, "\n"), '\n')
		if len(bytes.TrimSpace(data)) == 0 {
			out = nil
		}
		st.Added = len(hosts)
		fresh, err := NewDiscoveredFile(nil, hosts)
		if err != nil {
			return nil, st, err
		}
		return append(out, fresh...), st, nil
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, st, fmt.Errorf("cannot merge into it: expected a mapping with `targets:`, got %s", describe(root))
	}
	var targetsKey, targetsVal, nextKey *yaml.Node
	defaultPort := DefaultPort
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], resolve(root.Content[i+1])
		switch {
		case k.Value == "targets":
			targetsKey, targetsVal = k, v
		case targetsKey != nil && nextKey == nil:
			nextKey = k
		}
		if k.Value == "defaults" && v.Kind == yaml.MappingNode {
			if p := mapValue(v, "port"); p != nil {
				n, err := portOf(p)
				if err != nil {
					return nil, st, err
				}
				defaultPort = n
			}
		}
	}
	want := map[string]Discovered{}
	for _, h := range hosts {
		want[h.key()] = h
	}
	e := &editor{lines: lines}
	matched := map[string]bool{}
	dashCol := 0
	if targetsVal != nil && targetsVal.Kind == yaml.SequenceNode {
		if targetsVal.Style&yaml.FlowStyle != 0 {
			if len(targetsVal.Content) > 0 || len(hosts) > 0 {
				return nil, st, fmt.Errorf("cannot merge into it: line %d: write `targets` as a block list (one \"- host:\" per line), not [ ... ]", targetsVal.Line)
			}
		}
		for _, item := range targetsVal.Content {
			item = resolve(item)
			if dashCol == 0 {
				dashCol = dashColumn(lines, item)
			}
			key, ok, err := entryKey(item, defaultPort)
			if err != nil {
				return nil, st, err
			}
			if !ok {
				continue
			}
			h, found := want[key]
			if !found {
				if mapValue(item, "sources") != nil {
					st.Stale = append(st.Stale, key)
				}
				continue
			}
			if matched[key] {
				continue // a second entry for the same host:port (another servername): leave it
			}
			matched[key] = true
			changed, err := e.setSources(item, h.Sources)
			if err != nil {
				return nil, st, err
			}
			if changed {
				st.Updated++
			} else {
				st.Unchanged++
			}
		}
	} else if targetsVal != nil && !(targetsVal.Kind == yaml.ScalarNode && targetsVal.Tag == "!!null") {
		return nil, st, fmt.Errorf("cannot merge into it: line %d: targets must be a list", targetsVal.Line)
	}
	var added []Discovered
	for _, h := range hosts {
		if !matched[h.key()] {
			added = append(added, h)
		}
	}
	st.Added = len(added)
	if len(added) > 0 {
		if err := e.append(added, targetsKey, nextKey, dashCol, defaultPort); err != nil {
			return nil, st, err
		}
	}
	out := e.bytes()
	if err := verifyMerge(out, hosts, defaultPort); err != nil {
		return nil, st, fmt.Errorf("cannot merge into it without changing its structure (%v); write to a new file instead", err)
	}
	return out, st, nil
}

// editor applies line edits to a file; edits are recorded against the
// original line numbers and applied together.
type editor struct {
	lines []string // with their line breaks
	// replace maps a first line (0-based) to the lines replacing it and
	// how many original lines they replace; insert adds lines after one.
	replace map[int]replacement
	insert  map[int][]string
}

type replacement struct {
	n    int
	with string
}

func splitLines(data []byte) []string {
	var out []string
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			out = append(out, string(data)+"\n")
			break
		}
		out = append(out, string(data[:i+1]))
		data = data[i+1:]
	}
	return out
}

// setSources replaces an entry's sources, or adds them under its host.
func (e *editor) setSources(item *yaml.Node, sources []string) (bool, error) {
	if item.Kind != yaml.MappingNode {
		return false, nil
	}
	hostKey := mapKey(item, "host")
	srcKey := mapKey(item, "sources")
	if srcKey == nil {
		if item.Style&yaml.FlowStyle != 0 {
			return false, fmt.Errorf("cannot merge into it: line %d: write this target as a block mapping (one field per line) so sources can be added", item.Line)
		}
		hostVal := mapValue(item, "host")
		text, err := renderSources(sources, strings.Repeat(" ", hostKey.Column-1))
		if err != nil {
			return false, err
		}
		e.addInsert(hostVal.Line-1, text)
		return true, nil
	}
	srcVal := resolve(mapValue(item, "sources"))
	var old []string
	for _, c := range srcVal.Content {
		old = append(old, resolve(c).Value)
	}
	if slices.Equal(old, sources) {
		return false, nil
	}
	if item.Style&yaml.FlowStyle != 0 {
		return false, fmt.Errorf("cannot merge into it: line %d: write this target as a block mapping (one field per line) so its sources can be replaced", item.Line)
	}
	first := srcKey.Line - 1
	last := srcKey.Line - 1
	for _, c := range srcVal.Content {
		last = max(last, c.Line-1)
	}
	if srcVal.Style&yaml.FlowStyle != 0 {
		// [a, b] may close on a later line.
		for last < len(e.lines)-1 && !strings.Contains(stripComment(e.lines[last]), "]") {
			last++
		}
	}
	text, err := renderSources(sources, strings.Repeat(" ", srcKey.Column-1))
	if err != nil {
		return false, err
	}
	e.addReplace(first, last-first+1, text)
	return true, nil
}

func (e *editor) addInsert(after int, text string) {
	if e.insert == nil {
		e.insert = map[int][]string{}
	}
	e.insert[after] = append(e.insert[after], text)
}

func (e *editor) addReplace(first, n int, text string) {
	if e.replace == nil {
		e.replace = map[int]replacement{}
	}
	e.replace[first] = replacement{n, text}
}

// append adds entries at the end of the targets list: before the next
// top-level key (and the comments and blank lines leading up to it), or
// at the end of the file; a file without `targets:` gets one.
func (e *editor) append(hosts []Discovered, targetsKey, nextKey *yaml.Node, dashCol, defaultPort int) error {
	var b strings.Builder
	if targetsKey == nil {
		b.WriteString("targets:\n")
		dashCol = 3
	} else if dashCol == 0 {
		dashCol = targetsKey.Column + 2
	}
	indent := strings.Repeat(" ", dashCol-1)
	for i, h := range hosts {
		if i > 0 || targetsKey != nil {
			b.WriteString("\n")
		}
		entry, err := renderEntry(h, indent, defaultPort)
		if err != nil {
			return err
		}
		b.WriteString(entry)
	}
	after := len(e.lines) - 1
	if nextKey != nil {
		after = nextKey.Line - 2
		for after >= 0 && isBlankOrComment(e.lines[after]) {
			after--
		}
	}
	text := b.String()
	if targetsKey == nil || after == len(e.lines)-1 {
		// At the end of the file: keep the file's own trailing lines first.
		text = strings.TrimPrefix(text, "\n")
		if len(e.lines) > 0 && strings.TrimSpace(e.lines[len(e.lines)-1]) != "" {
			text = "\n" + text
		}
	}
	e.addInsert(after, text)
	return nil
}

func (e *editor) bytes() []byte {
	var b bytes.Buffer
	for i := 0; i < len(e.lines); i++ {
		if r, ok := e.replace[i]; ok {
			b.WriteString(r.with)
			for _, t := range e.insert[i+r.n-1] {
				b.WriteString(t)
			}
			i += r.n - 1
			continue
		}
		b.WriteString(e.lines[i])
		for _, t := range e.insert[i] {
			b.WriteString(t)
		}
	}
	if len(e.lines) == 0 {
		for _, t := range e.insert[-1] {
			b.WriteString(t)
		}
	}
	return b.Bytes()
}

func isBlankOrComment(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || strings.HasPrefix(t, "#")
}

// stripComment drops a trailing # comment (outside quotes, roughly).
func stripComment(line string) string {
	if i := strings.Index(line, " #"); i >= 0 {
		return line[:i]
	}
	return line
}

// dashColumn is the column (1-based) of the "-" that starts a list item.
func dashColumn(lines []string, item *yaml.Node) int {
	if item.Line-1 >= len(lines) {
		return 0
	}
	line := lines[item.Line-1]
	upto := min(item.Column-1, len(line))
	if i := strings.LastIndexByte(line[:upto], '-'); i >= 0 {
		return i + 1
	}
	return 0
}

func mapKey(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return resolve(m.Content[i+1])
		}
	}
	return nil
}

// entryKey is the host:port a target entry scans, as the loader would
// work it out: the host's own port, else the entry's port, else the
// file's default. A port the loader would refuse is an error: the entry
// scans nothing, so it can match no discovered host.
func entryKey(item *yaml.Node, defaultPort int) (string, bool, error) {
	hv := mapValue(item, "host")
	if hv == nil || hv.Kind != yaml.ScalarNode {
		return "", false, nil
	}
	spec, err := parseHostSpec(hv.Value)
	if err != nil {
		return "", false, nil
	}
	port := defaultPort
	if pv := mapValue(item, "port"); pv != nil {
		if port, err = portOf(pv); err != nil {
			return "", false, err
		}
	}
	if spec.port != 0 {
		port = spec.port
	}
	return net.JoinHostPort(spec.host, strconv.Itoa(port)), true, nil
}

// portOf reads a `port` value as the loader does (ParsePort: decimal
// digits, 1 to 65535).
func portOf(n *yaml.Node) (int, error) {
	p, err := ParsePort(resolve(n).Value)
	if err != nil {
		return 0, fmt.Errorf("cannot merge into it: line %d: %v", n.Line, err)
	}
	return p, nil
}

// verifyMerge re-reads the merged file and checks that every discovered
// host has exactly the sources written: a guard against an edit that
// landed in the wrong place.
func verifyMerge(out []byte, hosts []Discovered, defaultPort int) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(out, &doc); err != nil {
		return fmt.Errorf("the result is not valid YAML: %v", err)
	}
	if len(doc.Content) == 0 {
		return fmt.Errorf("the result is empty")
	}
	tv := mapValue(resolve(doc.Content[0]), "targets")
	if tv == nil || tv.Kind != yaml.SequenceNode {
		return fmt.Errorf("the result has no targets list")
	}
	got := map[string][]string{}
	for _, item := range tv.Content {
		item = resolve(item)
		key, ok, err := entryKey(item, defaultPort)
		if _, seen := got[key]; err != nil || !ok || seen {
			continue
		}
		var srcs []string
		if sv := mapValue(item, "sources"); sv != nil {
			for _, c := range sv.Content {
				srcs = append(srcs, resolve(c).Value)
			}
		}
		got[key] = srcs
	}
	for _, h := range hosts {
		if !slices.Equal(got[h.key()], h.Sources) {
			return fmt.Errorf("%s has sources %v, want %v", h.key(), got[h.key()], h.Sources)
		}
	}
	return nil
}
