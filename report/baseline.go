package report

import (
	"errors"
	"fmt"
	"slices"

	"github.com/tlsaudit/tlsaudit/internal/inputfile"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// A Baseline holds the findings of an earlier JSON report, so a scan can
// report (and gate on) only what is new: a team adopting the gate on a
// messy fleet fixes the backlog at its own pace while new problems fail at
// once.
//
// Findings match on their identity (finding ID, host:port, server name,
// and the file of a finding that points into the user's files; see
// identity), never on message text, which holds volatile facts such as days left. The
// match counts: if the baseline had one finding with an identity and the
// scan finds two, one of them is new.
type Baseline struct {
	Path string
	// known counts the baseline's findings by the digest of their
	// identity: 16 bytes each, however long the names in the report.
	known map[[16]byte]int
	// Findings is how many findings the baseline report holds.
	Findings int
}

// MaxBaselineFindings bounds the findings a baseline holds (tens of bytes
// each): a report of a fleet of a million targets has fewer.
const MaxBaselineFindings = 4 << 20

// baselineLimit is MaxBaselineFindings, lowered by tests.
var baselineLimit = MaxBaselineFindings

// LoadBaseline reads a report written by --format json (or jsonl). The
// report is a file a user names: opened as inputfile.Open does (no
// devices, pipes accepted) and read one result at a time (ReadStream).
func LoadBaseline(path string) (*Baseline, error) {
	f, err := inputfile.Open(path, inputfile.Streamed)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	defer f.Close()
	b := &Baseline{Path: path, known: map[[16]byte]int{}}
	_, err = ReadStream(f, func(rj ResultJSON, line int) error {
		// The identity of the finding as the scan that wrote the report
		// saw it: rebuilt the same way merge rebuilds it.
		r := FromJSON(rj)
		if b.Findings+len(r.Findings) > baselineLimit {
			return fmt.Errorf("line %d: more than %d findings, the most a baseline holds", line, baselineLimit)
		}
		for i := range r.Findings {
			// A report written before a check was renamed names it by
			// its old ID; its findings are the same.
			r.Findings[i].CheckID = scanner.CurrentID(r.Findings[i].CheckID)
			b.known[identityOf(r.Target, &r.Findings[i]).sum()]++
			b.Findings++
		}
		return nil
	})
	if errors.Is(err, ErrNotReport) {
		err = errNotBaseline
	}
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", textsafe.Escape(path), err)
	}
	return b, nil
}

var errNotBaseline = errors.New("not a tlsaudit JSON report (write one with --format json)")

// Filter returns r without the findings the baseline already had, and how
// many it left out. r itself is not changed. Each baseline finding
// excuses one finding, in the order results arrive.
func (b *Baseline) Filter(r *scanner.Result) (*scanner.Result, int) {
	if len(r.Findings) == 0 {
		return r, 0
	}
	kept := make([]scanner.Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		id := identityOf(r.Target, &f).sum()
		if b.known[id] > 0 {
			b.known[id]--
			continue
		}
		kept = append(kept, f)
	}
	known := len(r.Findings) - len(kept)
	if known == 0 {
		return r, 0
	}
	out := *r
	out.Findings = slices.Clip(kept)
	return &out, known
}
