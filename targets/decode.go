package targets

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// decoder decodes YAML nodes into the file's schema structs strictly: an
// unknown or repeated key, or a value of the wrong type, is an error at
// that key's line and column, and decoding goes on so that one run reports
// every problem.
//
// Schema structs use `yaml:"name"` tags and pointer or slice fields, so
// "not set" (nil) differs from a zero value and defaults can be merged.
// Embedded structs tagged `yaml:",inline"` contribute their fields. Types
// that implement nodeDecoder decode themselves, strictly too (yaml's own
// Unmarshaler is not honoured: it would lose positions and strictness).
type decoder struct {
	file string
	errs *errorList
	// used counts the nodes visited, through aliases and merge keys too,
	// against budget. Aliases and merge keys let a small file name the
	// same nodes over and over (nine levels of nine-fold merges are 9^9
	// mappings in under a kilobyte), so the work of decoding is bounded
	// by the file's size (decodeBudget), not by what it expands to.
	used, budget int
	// depth is how many mappings are being decoded inside one another,
	// merges included.
	depth int
	// over is set once the budget or the depth is exceeded: that is
	// reported once, and decoding stops.
	over bool
	// via is the outermost alias being decoded, if any: where a file that
	// expands too far is reported, rather than deep inside what the alias
	// names.
	via *yaml.Node
}

// The decoding budget: budgetBase nodes plus budgetPerByte per byte of
// the file. A file without aliases has fewer nodes than bytes; a fleet
// file whose targets each merge a template of most settings
// (`<<: *base`) stays within two visits per byte. Each visit costs up to
// about 200 bytes of memory (an accept item, a header), so a file cannot
// make decoding take more than about 600 times its size.
const (
	budgetBase    = 50_000
	budgetPerByte = 3
	// maxDepth bounds mappings decoded inside one another, merges
	// included: the schema itself nests three deep (a target, its accept
	// list, an item of it).
	maxDepth = 32
)

func newDecoder(file string, errs *errorList, size int) *decoder {
	return &decoder{file: file, errs: errs, budget: decodeBudget(size)}
}

func decodeBudget(size int) int { return budgetBase + budgetPerByte*size }

// spend charges the visit of count nodes, at n; false once the budget is
// exceeded, which is reported (at n, where it ran out) the first time.
func (d *decoder) spend(n *yaml.Node, count int) bool {
	if d.over {
		return false
	}
	if d.used += count; d.used <= d.budget {
		return true
	}
	d.stop(n, "aliases and merge keys expand the file past %d values, the limit for its size; write repeated settings out, or merge fewer times", d.budget)
	return false
}

// stop reports why decoding ends (even when the error list is full: the
// load would otherwise end without saying why) and ends it.
func (d *decoder) stop(n *yaml.Node, format string, args ...any) {
	d.over = true
	d.errs.fatal(d.pos(cmp.Or(d.via, n)), "", format, args...)
}

// follow notes that decoding enters n, if it is an alias and the first on
// the path; the returned func leaves it.
func (d *decoder) follow(n *yaml.Node) func() {
	if n.Kind != yaml.AliasNode || d.via != nil {
		return func() {}
	}
	d.via = n
	return func() { d.via = nil }
}

func (d *decoder) pos(n *yaml.Node) fileloc.Location {
	return fileloc.Location{File: d.file, Line: n.Line, Column: n.Column}
}

func (d *decoder) fail(n *yaml.Node, field, format string, args ...any) {
	d.errs.add(d.pos(n), field, format, args...)
}

// mapping decodes mapping node n into *dst and returns each key's value
// node, for errors found later (a CA file that cannot be read).
func (d *decoder) mapping(n *yaml.Node, dst any, what string) map[string]*yaml.Node {
	defer d.follow(n)()
	n = resolve(n)
	if !d.spend(n, 1+len(n.Content)/2) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, what, "expected a mapping of field: value, got %s", describe(n))
		return nil
	}
	if d.depth++; d.depth > maxDepth {
		d.stop(n, "mappings and merge keys nest more than %d deep", maxDepth)
	}
	defer func() { d.depth-- }()
	if d.over {
		return nil
	}
	v := reflect.ValueOf(dst).Elem()
	fields := fieldsOf(v.Type())
	seen := map[string]*yaml.Node{}
	// YAML merge keys (<<: *anchor) first, so the mapping's own keys win.
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Tag == "!!merge" {
			for _, m := range mergeSources(n.Content[i+1]) {
				for key, val := range d.mapping(m, dst, what) {
					seen[key] = val
				}
			}
		}
	}
	own := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Tag == "!!merge" {
			continue
		}
		name := k.Value
		idx, ok := fields[name]
		switch {
		case !ok:
			d.fail(k, name, "unknown field%s", suggest(name, fields))
			continue
		case own[name]:
			d.fail(k, name, "given twice (first at line %d)", seen[name].Line)
			continue
		}
		own[name] = true
		seen[name] = val
		d.value(val, v.FieldByIndex(idx), name)
	}
	return seen
}

// mergeSources are the mappings a merge key names, unresolved (so that
// decoding them follows their aliases).
func mergeSources(n *yaml.Node) []*yaml.Node {
	if r := resolve(n); r.Kind == yaml.SequenceNode {
		return r.Content
	}
	return []*yaml.Node{n}
}

var durationType = reflect.TypeFor[Duration]()

// A nodeDecoder decodes itself with the strict decoder, for values such as
// lists of mappings whose fields need their own positions.
type nodeDecoder interface {
	decodeNode(d *decoder, n *yaml.Node, name string) bool
}

// Duration is a time.Duration written as "10s", "1m30s".
type Duration time.Duration

// value decodes one node into field, reporting type mismatches.
func (d *decoder) value(n *yaml.Node, field reflect.Value, name string) {
	defer d.follow(n)()
	n = resolve(n)
	if !d.spend(n, 1) {
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		d.fail(n, name, "no value given")
		return
	}
	t := field.Type()
	if t.Kind() == reflect.Pointer {
		p := reflect.New(t.Elem())
		if d.into(n, p.Elem(), name) {
			field.Set(p)
		}
		return
	}
	d.into(n, field, name)
}

func (d *decoder) into(n *yaml.Node, v reflect.Value, name string) bool {
	if nd, ok := v.Addr().Interface().(nodeDecoder); ok {
		return nd.decodeNode(d, n, name)
	}
	switch {
	case v.Type() == durationType:
		dur, err := time.ParseDuration(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil {
			d.fail(n, name, "expected a duration such as 10s or 1m30s, got %s", describe(n))
			return false
		}
		if dur <= 0 {
			d.fail(n, name, "must be longer than zero, got %s", quote(n.Value))
			return false
		}
		v.SetInt(int64(dur))
		return true
	case v.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, name, "expected a string, got %s", describe(n))
			return false
		}
		v.SetString(n.Value)
		return true
	case v.Kind() == reflect.Int:
		// Decimal digits only, with an optional minus (so that -1 gets
		// the field's own range message): YAML also reads +1, 0x1bb,
		// 0o17 and 1_000 as integers, and 0443 as octal.
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.fail(n, name, "expected a whole number, got %s", describe(n))
			return false
		}
		digits, neg := strings.CutPrefix(n.Value, "-")
		i, ok := decimal(digits)
		if !ok {
			d.fail(n, name, "expected a whole number in decimal digits, got %s", describe(n))
			return false
		}
		if neg {
			i = -i
		}
		v.SetInt(int64(i))
		return true
	case v.Kind() == reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
			d.fail(n, name, "expected true or false, got %s", describe(n))
			return false
		}
		v.SetBool(b)
		return true
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, name, "expected a list such as [a, b], got %s", describe(n))
			return false
		}
		if !d.spend(n, len(n.Content)) {
			return false
		}
		out := reflect.MakeSlice(v.Type(), 0, len(n.Content))
		ok := true
		for _, item := range n.Content {
			item = resolve(item)
			if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
				d.fail(item, name, "list items must be strings, got %s", describe(item))
				ok = false
				continue
			}
			out = reflect.Append(out, reflect.ValueOf(item.Value).Convert(v.Type().Elem()))
		}
		v.Set(out)
		return ok
	}
	// yaml decodes the rest (http_headers) itself, following aliases:
	// charge what it will visit first.
	if !d.spend(n, treeSize(n, d.budget-d.used+1)) {
		return false
	}
	if err := n.Decode(v.Addr().Interface()); err != nil {
		d.fail(n, name, "%s", textsafe.Excerpt(cleanYAMLError(err), maxYAMLMessage))
		return false
	}
	return true
}

// fieldCache holds fieldsOf's answer per type: settings are merged three
// times per target, and a fleet list has many thousand targets.
var fieldCache sync.Map // reflect.Type → map[string][]int

// fieldsOf maps YAML keys to struct field indexes, following inline
// embedded structs. The map is shared: callers must not change it.
func fieldsOf(t reflect.Type) map[string][]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string][]int)
	}
	m, _ := fieldCache.LoadOrStore(t, buildFields(t))
	return m.(map[string][]int)
}

func buildFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if opts == "inline" {
			for k, idx := range fieldsOf(f.Type) {
				out[k] = append([]int{i}, idx...)
			}
			continue
		}
		if name == "" || name == "-" {
			continue
		}
		out[name] = []int{i}
	}
	return out
}

// treeSize counts the nodes under n, n included, through aliases, up to
// limit (it stops there: the count only has to show the budget is gone).
func treeSize(n *yaml.Node, limit int) int {
	count := 1
	stack := []*yaml.Node{n}
	for len(stack) > 0 && count < limit {
		n := resolve(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		// Counted as they are pushed, so the stack never outgrows the
		// count.
		count += len(n.Content)
		stack = append(stack, n.Content...)
	}
	return count
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// describe names what a node holds, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return textsafe.Quote(n.Value, 40)
	}
	return "something else"
}

// cleanYAMLError drops the yaml package's prefix and line number (the
// caller's position is more precise).
func cleanYAMLError(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "yaml: unmarshal errors:\n")
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "line ") {
		if _, rest, ok := strings.Cut(s, ": "); ok {
			s = rest
		}
	}
	return strings.TrimPrefix(s, "yaml: ")
}

// suggest proposes the closest known field for a misspelt one.
func suggest(name string, fields map[string][]int) string {
	best, bestDist := "", 3
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		// Within distance 3 the lengths differ by less than 3: no need to
		// compare a long key (the cost grows with its length).
		if len(name) >= len(k)+bestDist {
			continue
		}
		if d := editDistance(strings.ToLower(name), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return fmt.Sprintf(" (known fields: %s)", strings.Join(keys, ", "))
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
