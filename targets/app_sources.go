package targets

import (
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
)

// appSources reads a target's `sources: [file:line, ...]`: where an app's
// code names the host. Relative files resolve against the targets file's
// folder, like ca paths, so reports name them from the working directory.
// A malformed item is an error at its own line.
func (l *loader) appSources(n *yaml.Node, d *decoder) []fileloc.Location {
	if n == nil {
		return nil
	}
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		return nil // the decoder reported it
	}
	var out []fileloc.Location
	for _, item := range n.Content {
		item = resolve(item)
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
			continue // the decoder reported it
		}
		loc, err := ParseSource(item.Value)
		if err != nil {
			l.errs.add(d.pos(item), "sources", "%v", err)
			continue
		}
		if !filepath.IsAbs(filepath.FromSlash(loc.File)) {
			loc.File = filepath.ToSlash(filepath.Join(l.dir, filepath.FromSlash(loc.File)))
		}
		out = append(out, loc)
	}
	return out
}

// ParseSource reads "file:line", as `sources` lists them.
func ParseSource(s string) (fileloc.Location, error) {
	s = strings.TrimSpace(s)
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return fileloc.Location{}, fmt.Errorf("%s is not file:line", quote(s))
	}
	line, ok := decimal(s[i+1:])
	if !ok || line < 1 {
		return fileloc.Location{}, fmt.Errorf("%s is not file:line (the line must be a number from 1)", quote(s))
	}
	return fileloc.Location{File: s[:i], Line: line}, nil
}

// FormatSource writes a location as `sources` lists it: file:line.
func FormatSource(l fileloc.Location) string {
	return fmt.Sprintf("%s:%d", l.File, l.Line)
}
