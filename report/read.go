package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner"
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
}

// ErrNotReport is what ReadStream's error is (errors.Is) when its input
// is not a tlsaudit report at all: not JSON, or JSON without a
// schema_version (a SARIF file, say). A report of another schema version,
// or a damaged one, is a different error.
var ErrNotReport = errors.New("not a tlsaudit report")

type notReport struct{ error }

func (e notReport) Is(target error) bool { return target == ErrNotReport }
func (e notReport) Unwrap() error        { return e.error }

// MaxValueBytes bounds one value of a report: a result (a line of JSON
// Lines, or an element of a document's results) or a field of a
// document's header. A report is read one value at a time, so memory
// holds at most about this much of it whatever its length; a longer
// value (a 2 GB line, /dev/urandom through a pipe) is refused once this
// much of it has been read. The largest result a scan writes is far
// smaller: a served chain is at most 256 KiB and HTTP headers 64 KiB.
const MaxValueBytes = 16 << 20

// maxErrorText bounds what an error quotes of a report: a decoder's
// complaint can hold a number or a map key of the input.
const maxErrorText = 200

// utf8BOM is the byte-order mark some editors and tools (PowerShell's
// Out-File) put at the start of a UTF-8 file; it is not part of the JSON.
var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// ReadStream reads a report written with --format json or jsonl and calls
// fn with each result and the line of the report it starts on, as it is
// read: memory does not grow with the report. It returns what the report
// says about its scan; an error of fn stops it and is returned as is.
//
// A report is input from outside (another machine's shard), so every
// result is checked for what decisions rest on: a finding of a severity
// this version does not know, or of none, is an error naming its line
// rather than a finding the gate would pass.
func ReadStream(r io.Reader, fn func(res ResultJSON, line int) error) (*Read, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		br.Discard(len(utf8BOM))
	}
	// The first line, read whole (at most MaxValueBytes), tells JSON Lines
	// (a whole value on it) from a document (which spans lines). A longer
	// first line is a document written on one line, read as one: it is
	// streamed like any other.
	first, complete, err := readLine(br, MaxValueBytes)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(bytes.TrimSpace(first)) == 0 && errors.Is(err, io.EOF) {
		return nil, notReport{errors.New("empty: not a tlsaudit report")}
	}
	lines := &lineCounter{r: io.MultiReader(bytes.NewReader(first), br), limit: MaxValueBytes}
	dec := json.NewDecoder(lines)
	lines.dec = dec
	if trimmed := bytes.TrimSpace(first); complete && json.Valid(trimmed) {
		// A whole value on the first line: a JSON Lines report, or a
		// document written on one line.
		var probe struct {
			Results json.RawMessage `json:"results"`
		}
		if json.Unmarshal(trimmed, &probe) == nil && probe.Results != nil {
			return readDocument(dec, lines, fn)
		}
		return readLines(dec, lines, fn)
	}
	return readDocument(dec, lines, fn)
}

// readLine returns the first line of br (with its newline), or its first
// max bytes or more, and whether that is the whole line.
func readLine(br *bufio.Reader, max int) ([]byte, bool, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, true, err
		}
		if len(line) >= max {
			return line, false, nil
		}
	}
}

// readLines reads JSON Lines: one result per value, each with its own
// schema_version.
func readLines(dec *json.Decoder, lines *lineCounter, fn func(ResultJSON, int) error) (*Read, error) {
	out := &Read{}
	for n := 1; dec.More() || n == 1; n++ {
		raw, line, err := nextValue(dec, lines)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, short(err))
		}
		var l LineJSON
		if err := json.Unmarshal(raw, &l); err != nil {
			if n == 1 {
				return nil, notReport{fmt.Errorf("not a tlsaudit report: %w", short(err))}
			}
			return nil, fmt.Errorf("line %d: %w", line, short(err))
		}
		if n == 1 && !hasSchemaVersion(raw) {
			return nil, notReport{errors.New("not a tlsaudit report: no schema_version")}
		}
		if l.SchemaVersion != SchemaVersion {
			return nil, fmt.Errorf("line %d: schema version %s, this tlsaudit reads %q", line, quote(l.SchemaVersion), SchemaVersion)
		}
		if err := checkResult(&l.ResultJSON); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if err := fn(l.ResultJSON, line); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func hasSchemaVersion(raw []byte) bool {
	var probe struct {
		SchemaVersion *string `json:"schema_version"`
	}
	return json.Unmarshal(raw, &probe) == nil && probe.SchemaVersion != nil
}

// readDocument reads a JSON document token by token, so that its results
// are read one at a time. jsonWriter writes schema_version first; a
// document whose keys were reordered (jq -S) is read too, and refused at
// its end if it had none.
func readDocument(dec *json.Decoder, lines *lineCounter, fn func(ResultJSON, int) error) (*Read, error) {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		if err == nil {
			err = errors.New("not a JSON object")
		}
		return nil, notReport{fmt.Errorf("not a JSON or JSON Lines report: %w", err)}
	}
	var head documentHead
	var finished time.Time
	version, results := false, false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, damaged(lines, dec, version, err)
		}
		key, _ := tok.(string)
		switch key {
		case "results":
			if err := readResults(dec, lines, fn); err != nil {
				if !version {
					return nil, notReport{fmt.Errorf("not a tlsaudit report: %w", err)}
				}
				return nil, err
			}
			results = true
			continue
		case "schema_version":
			if err := dec.Decode(&head.SchemaVersion); err != nil {
				return nil, damaged(lines, dec, version, err)
			}
			if head.SchemaVersion != SchemaVersion {
				return nil, fmt.Errorf("schema version %s, this tlsaudit reads %q", quote(head.SchemaVersion), SchemaVersion)
			}
			version = true
			continue
		}
		var dst any
		switch key {
		case "started":
			dst = &head.Started
		case "targets_file":
			dst = &head.TargetsFile
		case "shard":
			dst = &head.Shard
		case "source_tree":
			dst = &head.SourceTree
		case "finished":
			dst = &finished
		}
		if dst == nil {
			err = skipValue(dec)
		} else {
			err = dec.Decode(dst)
		}
		if err != nil {
			return nil, damaged(lines, dec, version, fmt.Errorf("%s: %w", textsafe.Excerpt(key, textsafe.ExcerptBytes), short(err)))
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, damaged(lines, dec, version, err)
	}
	if !version {
		return nil, notReport{errors.New("not a tlsaudit report: no schema_version")}
	}
	if !results {
		return nil, errors.New("report: no results")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one JSON document")
	}
	return &Read{Document: true, Started: head.Started, Finished: finished, TargetsFile: head.TargetsFile,
		Shard: head.Shard, SourceTree: head.SourceTree}, nil
}

func readResults(dec *json.Decoder, lines *lineCounter, fn func(ResultJSON, int) error) error {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return fmt.Errorf("line %d: results: not a list", lines.lineAt(dec.InputOffset()))
	}
	for dec.More() {
		raw, line, err := nextValue(dec, lines)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, short(err))
		}
		var r ResultJSON
		if err := json.Unmarshal(raw, &r); err != nil {
			return fmt.Errorf("line %d: result: %w", line, short(err))
		}
		if err := checkResult(&r); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if err := fn(r, line); err != nil {
			return err
		}
	}
	_, err := dec.Token() // ]
	return err
}

// damaged is the error of a document that stopped parsing: not a report
// if no schema_version was seen yet, else a damaged one, with its line.
func damaged(lines *lineCounter, dec *json.Decoder, version bool, err error) error {
	err = fmt.Errorf("line %d: %w", lines.lineAt(dec.InputOffset()), short(err))
	if !version {
		return notReport{fmt.Errorf("not a tlsaudit report: %w", err)}
	}
	return err
}

// nextValue decodes the next value raw, with the line it starts on.
func nextValue(dec *json.Decoder, lines *lineCounter) (json.RawMessage, int, error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, lines.lineAt(dec.InputOffset()), err
	}
	return raw, lines.lineAt(dec.InputOffset() - int64(len(raw))), nil
}

// skipValue reads past one value token by token, so a large value the
// reader does not need (a SARIF file's runs) is not held whole; past
// MaxValueBytes it gives up, as for any value, rather than read on through
// a file that is not a report.
func skipValue(dec *json.Decoder) error {
	depth := 0
	start := dec.InputOffset()
	for {
		if dec.InputOffset()-start > MaxValueBytes {
			return errValueTooLong
		}
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// checkResult refuses what a report's readers would otherwise have to
// guess, where a guess could pass a build that should fail:
//
//   - a finding whose severity is missing or unknown (the gate would have
//     to weigh it at some severity);
//   - an accepted risk of a status other than accepted or expired, with no
//     valid until date, in force after its until date (as of the scan), or
//     whose "accepted" flag says otherwise (the gate leaves out accepted
//     findings);
//   - a status this version does not know, or "error" without an error
//     (or an error with another status): a target that could not be
//     scanned must not pass as clean.
func checkResult(r *ResultJSON) error {
	switch r.Status {
	case "ok", "findings", "undecided", "error":
	default:
		return fmt.Errorf("result %s has status %s, which this tlsaudit does not know", quote(r.Name), quote(r.Status))
	}
	if (r.Status == "error") != (r.Error != nil) {
		return fmt.Errorf("result %s has status %s but %s error", quote(r.Name), quote(r.Status), map[bool]string{true: "an", false: "no"}[r.Error != nil])
	}
	for i, f := range r.Findings {
		problem := ""
		if _, err := scanner.ParseSeverity(f.Severity); err != nil {
			problem = "has no severity"
			if f.Severity != "" {
				problem = fmt.Sprintf("has severity %s, which this tlsaudit does not know", quote(f.Severity))
			}
		} else if a := f.Acceptance; a != nil || f.Accepted {
			problem = acceptanceProblem(r, &f)
		}
		if problem != "" {
			return fmt.Errorf("result %s: finding %d (%s) %s", quote(r.Name), i+1, textsafe.Excerpt(f.Check, textsafe.ExcerptBytes), problem)
		}
	}
	return nil
}

// acceptanceProblem says what is wrong with a finding's accepted risk, or
// "".
func acceptanceProblem(r *ResultJSON, f *FindingJSON) string {
	a := f.Acceptance
	if a == nil {
		return "is marked accepted without an accepted risk"
	}
	until, err := time.Parse(time.DateOnly, a.Until)
	switch {
	case a.Status != "accepted" && a.Status != "expired":
		return fmt.Sprintf("has an accepted risk of status %s, which this tlsaudit does not know", quote(a.Status))
	case err != nil:
		return fmt.Sprintf("has an accepted risk until %s, which is not a date (YYYY-MM-DD)", quote(a.Until))
	case f.Accepted != (a.Status == "accepted"):
		return fmt.Sprintf("is marked accepted %v but its accepted risk is %s", f.Accepted, a.Status)
	case a.Status == "accepted" && until.Before(r.Started.UTC().Truncate(24*time.Hour)):
		return fmt.Sprintf("has an accepted risk in force until %s, before the scan (%s)", a.Until, r.Started.UTC().Format(time.DateOnly))
	}
	return ""
}

// quote quotes a value of a report for an error: escaped, and cut short.
func quote(s string) string { return textsafe.Quote(s, textsafe.ExcerptBytes) }

// errValueTooLong is a value of a report longer than MaxValueBytes.
var errValueTooLong = fmt.Errorf("a value longer than %d MiB, the most tlsaudit reads of one result", MaxValueBytes>>20)

// shortError is an error whose text is cut to maxErrorText bytes (the
// decoder's errors can quote a number or a map key of any length), with
// the error it cuts kept for errors.Is and errors.As.
type shortError struct{ err error }

func (e shortError) Error() string { return textsafe.Excerpt(e.err.Error(), maxErrorText) }
func (e shortError) Unwrap() error { return e.err }

func short(err error) error {
	if err == nil || len(err.Error()) <= maxErrorText {
		return err
	}
	return shortError{err}
}

// lineCounter passes a reader through and remembers where its newlines
// are, so that offsets the JSON decoder reports can be named as lines.
// Offsets asked about only grow, so newlines before the last one asked
// about are counted and forgotten: memory is bounded by the decoder's
// read-ahead.
//
// It also bounds that read-ahead: the decoder (dec) reads a value whole
// before decoding it, so it may read at most limit bytes past where it
// stands, the start of the value it is reading. A longer value fails with
// errValueTooLong instead of being read into memory.
type lineCounter struct {
	r        io.Reader
	dec      *json.Decoder
	limit    int64
	read     int64   // bytes passed through
	newlines []int64 // offsets of newlines not yet counted
	before   int     // newlines counted and forgotten
}

func (l *lineCounter) Read(p []byte) (int, error) {
	if l.dec != nil {
		room := l.dec.InputOffset() + l.limit - l.read
		if room <= 0 {
			return 0, errValueTooLong
		}
		if int64(len(p)) > room {
			p = p[:room]
		}
	}
	n, err := l.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			l.newlines = append(l.newlines, l.read+int64(i))
		}
	}
	l.read += int64(n)
	return n, err
}

// lineAt is the 1-based line of byte offset off.
func (l *lineCounter) lineAt(off int64) int {
	k := sort.Search(len(l.newlines), func(i int) bool { return l.newlines[i] >= off })
	l.before += k
	l.newlines = append(l.newlines[:0], l.newlines[k:]...)
	return l.before + 1
}
