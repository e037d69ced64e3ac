package targets

import (
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// AcceptList is a target's (or the defaults') `accept:` list of accepted
// risks:
//
//	accept:
//	  - check: cert-expiring-soon     # a finding ID or a glob ("chain-*")
//	    until: 2026-12-31             # last day it holds (UTC)
//	    reason: renewal scheduled with the vendor, ticket OPS-123
//
// Every field is required: an acceptance without an end date or a reason
// is how risks get forgotten.
type AcceptList []acceptItem

type acceptItem struct {
	fields acceptFields
	at     fileloc.Location            // the item itself
	pos    map[string]fileloc.Location // each field's value
}

type acceptFields struct {
	Check  *string `yaml:"check"`
	Until  *string `yaml:"until"`
	Reason *string `yaml:"reason"`
}

// dateLayout is how `until` is written; a date, not a time, so nobody has
// to think about time zones: it holds through that whole day, UTC.
const dateLayout = "2006-01-02"

// decodeNode decodes the list strictly, item by item, keeping positions
// for the checks validateAccept makes once the known checks are at hand.
func (a *AcceptList) decodeNode(d *decoder, n *yaml.Node, name string) bool {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, name, "expected a list of {check, until, reason}, got %s", describe(n))
		return false
	}
	out := make(AcceptList, 0, len(n.Content))
	ok := true
	for _, item := range n.Content {
		it := acceptItem{at: d.pos(resolve(item))}
		nodes := d.mapping(item, &it.fields, name)
		if nodes == nil {
			ok = false
			continue
		}
		it.pos = make(map[string]fileloc.Location, len(nodes))
		for k, v := range nodes {
			it.pos[k] = d.pos(v)
		}
		out = append(out, it)
	}
	*a = out
	return ok
}

// validateAccept reports missing fields, bad dates, empty reasons and
// patterns that name no check.
func (l *loader) validateAccept(ly layer) {
	for _, it := range ly.s.Accept {
		f := it.fields
		for _, req := range []struct {
			name string
			set  bool
			why  string
		}{
			{"check", f.Check != nil, "name the finding ID (or a glob) accepted"},
			{"until", f.Until != nil, "every acceptance needs an end date, such as 2026-12-31"},
			{"reason", f.Reason != nil, "say why the risk is accepted"},
		} {
			if !req.set {
				l.errs.add(it.at, "accept", "%s missing: %s", req.name, req.why)
			}
		}
		if f.Check != nil {
			if err := scanner.ValidatePattern(*f.Check, l.opts.Checks); err != nil {
				l.errs.add(it.pos["check"], "check", "%v", err)
			}
		}
		if f.Until != nil {
			if _, err := time.Parse(dateLayout, *f.Until); err != nil {
				l.errs.add(it.pos["until"], "until", "expected a date such as 2026-12-31, got %s", quote(*f.Until))
			}
		}
		if f.Reason != nil && strings.TrimSpace(*f.Reason) == "" {
			l.errs.add(it.pos["reason"], "reason", "must not be empty")
		}
	}
}

// acceptances converts a validated list for the scanner.
func (a AcceptList) acceptances() []scanner.Acceptance {
	var out []scanner.Acceptance
	for _, it := range a {
		f := it.fields
		if f.Check == nil || f.Until == nil || f.Reason == nil {
			continue
		}
		until, err := time.Parse(dateLayout, *f.Until)
		if err != nil {
			continue
		}
		out = append(out, scanner.Acceptance{Check: *f.Check, Until: until, Reason: strings.TrimSpace(*f.Reason), Source: it.at})
	}
	return out
}
