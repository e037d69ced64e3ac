package targets

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// The targets files tlsaudit writes (discover's, the lab's, the sources
// a merge replaces) are written here, and only here: every value goes
// through the YAML encoder as a node, so a host, path or file name
// holding a newline, ": ", "#" or "- " stays one value, never becomes a
// key or an item; comments are escaped to one line each. Layout (the
// indent of a list item, comments, blank lines) is the caller's, so a
// merge can splice entries into a file the user wrote.

// A Field is one key of a mapping to write and its value: a string,
// number, bool or list of strings.
type Field struct {
	Key   string
	Value any
	// Flow writes a list as [a, b] rather than one item per line.
	Flow bool
	// Quoted writes strings double-quoted even where they need not be.
	Quoted bool
}

// Comment writes text as comment lines at indent, one per line of text,
// each escaped (a control character or line separator in a name cannot
// end the comment).
func Comment(indent, text string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(text, "\n") {
		b.WriteString(strings.TrimRight(indent+"# "+textsafe.Escape(line), " "))
		b.WriteString("\n")
	}
	return b.String()
}

// EncodeItem writes fields as one block list item ("- key: value", the
// other keys under it) with its dash at indent. commentOut writes it as
// comment lines ("# - key: value"), for an entry shown but not scanned.
func EncodeItem(indent string, fields []Field, commentOut bool) (string, error) {
	m, err := mappingNode(fields)
	if err != nil {
		return "", err
	}
	prefix := indent
	if commentOut {
		prefix += "# "
	}
	return encodeNode(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{m}}, prefix)
}

// EncodeMapping writes fields as block mapping keys at indent.
func EncodeMapping(indent string, fields []Field) (string, error) {
	m, err := mappingNode(fields)
	if err != nil {
		return "", err
	}
	return encodeNode(m, indent)
}

func mappingNode(fields []Field) (*yaml.Node, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range fields {
		v := new(yaml.Node)
		if err := v.Encode(f.Value); err != nil {
			return nil, fmt.Errorf("encode %s: %w", f.Key, err)
		}
		if f.Flow && v.Kind == yaml.SequenceNode {
			v.Style |= yaml.FlowStyle
		}
		if f.Quoted {
			quoteStrings(v)
		}
		quoteMultiline(v)
		k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.Key}
		quoteMultiline(k)
		m.Content = append(m.Content, k, v)
	}
	return m, nil
}

// quoteMultiline writes every scalar that holds a line break or another
// character a reader would not see as double-quoted with escapes ("a\nb"),
// so each value stays on its line: a literal block (|) would be as
// correct, but spans lines a line-based merge then has to account for.
func quoteMultiline(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && strings.IndexFunc(n.Value, unprintable) >= 0 {
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		quoteMultiline(c)
	}
}

func quoteStrings(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		quoteStrings(c)
	}
}

func unprintable(r rune) bool { return r != ' ' && !unicode.IsPrint(r) }

// encodeNode encodes n as YAML with two-space indents and writes prefix
// before each line.
func encodeNode(n *yaml.Node, prefix string) (string, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	var b strings.Builder
	for line := range strings.Lines(buf.String()) {
		if line != "\n" {
			b.WriteString(prefix)
		}
		b.WriteString(line)
	}
	return b.String(), nil
}
