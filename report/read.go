package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// A WireWriter also takes results in their wire form, as read back from
// a report: what `tlsaudit merge` writes with. Every writer of New
// implements it.
type WireWriter interface {
	Writer
	WriteJSON(r ResultJSON) error
}

// A Read is a report read back from JSON or JSON Lines.
type Read struct {
	// Document is true for a JSON document (which has a header), false
	// for JSON Lines.
	Document    bool
	Started     time.Time
	Finished    time.Time
	TargetsFile string
	Shard       string
	// SourceTree is the app source tree the scan read (--discover), if any.
	SourceTree string
	Results    []ResultJSON
}

// document is the JSON format's top level, as jsonWriter writes it.
type document struct {
	documentHead
	Results  []ResultJSON `json:"results"`
	Finished time.Time    `json:"finished"`
}

// ErrNotReport is what ReadReport's error is (errors.Is) when its input
// is not a tlsaudit report at all: not JSON, or JSON without a
// schema_version (a SARIF file, say). A report of another schema version,
// or a damaged one, is a different error.
var ErrNotReport = errors.New("not a tlsaudit report")

type notReport struct{ error }

func (e notReport) Is(target error) bool { return target == ErrNotReport }
func (e notReport) Unwrap() error        { return e.error }

// ReadReport reads a report written with --format json or jsonl. It
// tells them apart by the first value: a document has "results".
func ReadReport(r io.Reader) (*Read, error) {
	dec := json.NewDecoder(bufio.NewReader(r))
	var first json.RawMessage
	if err := dec.Decode(&first); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, notReport{errors.New("empty: not a tlsaudit report")}
		}
		return nil, notReport{fmt.Errorf("not a JSON or JSON Lines report: %w", err)}
	}
	var probe struct {
		SchemaVersion *string         `json:"schema_version"`
		Results       json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(first, &probe); err != nil {
		return nil, notReport{fmt.Errorf("not a tlsaudit report: %w", err)}
	}
	if probe.SchemaVersion == nil {
		return nil, notReport{errors.New("not a tlsaudit report: no schema_version")}
	}
	if *probe.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("schema version %q, this tlsaudit reads %q", *probe.SchemaVersion, SchemaVersion)
	}
	if probe.Results != nil {
		var d document
		if err := json.Unmarshal(first, &d); err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		if dec.More() {
			return nil, errors.New("more than one JSON document")
		}
		return &Read{Document: true, Started: d.Started, Finished: d.Finished, TargetsFile: d.TargetsFile, Shard: d.Shard, SourceTree: d.SourceTree, Results: d.Results}, nil
	}
	out := &Read{}
	line := first
	for n := 1; ; n++ {
		var l LineJSON
		if err := json.Unmarshal(line, &l); err != nil {
			return nil, fmt.Errorf("result %d: %w", n, err)
		}
		if l.SchemaVersion != SchemaVersion {
			return nil, fmt.Errorf("result %d: schema version %q, this tlsaudit reads %q", n, l.SchemaVersion, SchemaVersion)
		}
		out.Results = append(out.Results, l.ResultJSON)
		if !dec.More() {
			break
		}
		line = nil
		if err := dec.Decode(&line); err != nil {
			return nil, fmt.Errorf("result %d: %w", n+1, err)
		}
	}
	return out, nil
}
