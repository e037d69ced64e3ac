package targets

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/tlsaudit/tlsaudit/scanner"
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
}

func (d *decoder) pos(n *yaml.Node) scanner.Location {
	return scanner.Location{File: d.file, Line: n.Line, Column: n.Column}
}

func (d *decoder) fail(n *yaml.Node, field, format string, args ...any) {
	d.errs.add(d.pos(n), field, format, args...)
}

// mapping decodes mapping node n into *dst and returns each key's value
// node, for errors found later (a CA file that cannot be read).
func (d *decoder) mapping(n *yaml.Node, dst any, what string) map[string]*yaml.Node {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.fail(n, what, "expected a mapping of field: value, got %s", describe(n))
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

func mergeSources(n *yaml.Node) []*yaml.Node {
	n = resolve(n)
	if n.Kind == yaml.SequenceNode {
		return n.Content
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
	n = resolve(n)
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
			d.fail(n, name, "must be longer than zero, got %s", n.Value)
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
		var i int
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&i) != nil {
			d.fail(n, name, "expected a whole number, got %s", describe(n))
			return false
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
	if err := n.Decode(v.Addr().Interface()); err != nil {
		d.fail(n, name, "%s", cleanYAMLError(err))
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
		v := n.Value
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return fmt.Sprintf("%q", v)
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
