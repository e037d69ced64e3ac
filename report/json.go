package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// jsonWriter streams one JSON document: the header goes out with the first
// result, each result as it arrives, the summary at Close. Memory does not
// grow with the number of targets.
type jsonWriter struct {
	w       *bufio.Writer
	meta    Meta
	titles  map[string]string
	started bool
	n       int
}

func newJSON(w io.Writer, meta Meta) *jsonWriter {
	return &jsonWriter{w: bufio.NewWriter(w), meta: meta, titles: titlesOf(meta.Checks)}
}

// CheckJSON lists a check that ran, so a reader of the report knows what
// "no findings" covered.
type CheckJSON struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Title    string `json:"title"`
}

// documentHead is what a JSON document says about the scan before its
// results: the writer writes it and ReadStream reads it back (document),
// so a field added here is read back too.
type documentHead struct {
	SchemaVersion string      `json:"schema_version"`
	Tool          ToolInfo    `json:"tool"`
	Started       time.Time   `json:"started"`
	TargetsFile   string      `json:"targets_file,omitempty"`
	Shard         string      `json:"shard,omitempty"`
	SourceTree    string      `json:"source_tree,omitempty"`
	Checks        []CheckJSON `json:"checks"`
}

func (j *jsonWriter) header() error {
	if j.started {
		return nil
	}
	j.started = true
	checks := make([]CheckJSON, 0, len(j.meta.Checks))
	for _, c := range j.meta.Checks {
		checks = append(checks, CheckJSON{ID: c.ID, Severity: c.Severity.String(), Title: c.Title})
	}
	head := documentHead{SchemaVersion, ToolInfo{j.meta.Tool, j.meta.Version}, j.meta.Started.UTC(), j.meta.TargetsFile, j.meta.Shard, j.meta.SourceTree, checks}
	b, err := json.MarshalIndent(head, "", "  ")
	if err != nil {
		return err
	}
	// Reopen the object to append "results".
	_, err = fmt.Fprintf(j.w, "%s,\n  \"results\": [", b[:len(b)-2])
	return err
}

func (j *jsonWriter) Write(r *scanner.Result) error {
	return j.WriteJSON(ToJSON(r, j.titles))
}

// WriteJSON adds one result in its wire form.
func (j *jsonWriter) WriteJSON(r ResultJSON) error {
	if err := j.header(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "    ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n    "
	if j.n == 0 {
		sep = "\n    "
	}
	j.n++
	if _, err := j.w.WriteString(sep); err != nil {
		return err
	}
	_, err = j.w.Write(b)
	return err
}

func (j *jsonWriter) Close(s *Summary) error {
	if err := j.header(); err != nil {
		return err
	}
	tail := struct {
		Finished time.Time `json:"finished"`
		Summary  *Summary  `json:"summary"`
	}{s.Finished.UTC(), s}
	b, err := json.MarshalIndent(tail, "", "  ")
	if err != nil {
		return err
	}
	end := "\n  ],\n"
	if j.n == 0 {
		end = "],\n"
	}
	// b is "{\n  fields\n}"; splice the fields into the open document.
	if _, err := fmt.Fprintf(j.w, "%s%s\n}\n", end, b[2:len(b)-2]); err != nil {
		return err
	}
	return j.w.Flush()
}
