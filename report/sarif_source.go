package report

import (
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// The SARIF of `scan --discover`: the app's source tree is a run (a
// code-scanning category) of its own, holding its code findings and the
// hosts discovered in it, each pointing at a line of the app's code.

// maxRelated bounds the related locations listed for one result.
const maxRelated = 20

// sourceTreeOf names the source tree a target belongs to: its own, for
// the tree's result; the scan's tree, for a host discovered in it (which
// no targets file defines); else "".
func (s *sarifWriter) sourceTreeOf(t *scanner.Target) string {
	switch {
	case t.SourceTree != "":
		return t.SourceTree
	case t.Source.IsZero() && len(t.Sources) > 0:
		return s.meta.SourceTree
	}
	return ""
}

// relatedLocations lists, for a host result pointing at the first source
// line that names the host, the other lines that name it and the host's
// entry in its targets file.
func (s *sarifWriter) relatedLocations(t *scanner.Target, f *scanner.Finding) []*sarif.Location {
	if len(t.Sources) == 0 || !f.Location.IsZero() {
		return nil
	}
	var out []*sarif.Location
	for _, src := range t.Sources[1:] {
		if len(out) == maxRelated {
			break
		}
		out = append(out, s.fileLocation(src.File, src.Line, src.Column).WithMessage(sarif.NewTextMessage("also named here")))
	}
	if !t.Source.IsZero() && !isStandIn(t.Source.File) {
		out = append(out, s.fileLocation(t.Source.File, t.Source.Line, t.Source.Column).WithMessage(sarif.NewTextMessage("the target's entry in its targets file")))
	}
	for i, l := range out {
		l.WithID(i + 1)
	}
	return out
}
