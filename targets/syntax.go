package targets

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// maxYAMLMessage bounds the yaml package's message in a syntax error: it
// can quote the file (an anchor's name).
const maxYAMLMessage = 200

// syntaxError turns the yaml package's "yaml: line N: ..." for data into
// our position format, at the line that broke (syntaxLine).
func (l *loader) syntaxError(data []byte, err error) error {
	msg, line := splitYAMLError(err)
	return &Error{
		Pos: fileloc.Location{File: l.file, Line: syntaxLine(data, err, line)},
		Msg: "invalid YAML: " + textsafe.Excerpt(msg, maxYAMLMessage),
	}
}

// splitYAMLError splits "yaml: line N: message" into the message and N
// (0 when the error names no line).
func splitYAMLError(err error) (string, int) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
		_, msg, _ = strings.Cut(msg, ": ")
	}
	return msg, line
}

// syntaxLine finds the line at which data stops being valid YAML.
//
// The yaml package's line is not it: for a parse error it names the line
// where the construct being parsed began (the block list, the flow
// mapping), counted from 0, so a bad indentation three lines into a list
// is reported one line before the list; and some errors (an unknown
// anchor) name no line at all. The line that broke is the last line of
// the shortest prefix of the file, cut at a line end, that fails with the
// very same error: shorter prefixes either parse or fail otherwise (a list
// cut short is missing its end, not broken).
//
// The search starts from the last line the parser read before it failed
// (it reads on only a token ahead, when given one byte at a time), which
// fails the same way, and steps back in doubling steps, then bisects; it
// never goes before the yaml package's line (the break is never before
// it). A break is usually found within a few parses of the file.
func syntaxLine(data []byte, err error, reported int) int {
	ends := lineEnds(data)
	want := err.Error()
	same := func(lines int) bool {
		e := firstYAMLError(data[:ends[lines-1]])
		return e != nil && e.Error() == want
	}
	bad := max(reported, 1) - 1 // the last line known to be before the break
	good := len(ends)           // a prefix known to fail the same way: the whole file
	if bad >= good {
		return reported
	}
	if read := lineOf(ends, bytesRead(data)); read > bad && read < good && same(read) {
		good = read
	}
	for step := 1; good-step > bad; step *= 2 {
		if !same(good - step) {
			bad = good - step
			break
		}
		good -= step
	}
	for good-bad > 1 {
		mid := bad + (good-bad)/2
		if same(mid) {
			good = mid
		} else {
			bad = mid
		}
	}
	return good
}

// bytesRead returns how much of data the yaml package reads before it
// fails, given one byte at a time.
func bytesRead(data []byte) int {
	r := &trickle{data: data}
	dec := yaml.NewDecoder(r)
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			return r.off
		}
	}
}

// trickle reads data one byte a call.
type trickle struct {
	data []byte
	off  int
}

func (r *trickle) Read(p []byte) (int, error) {
	if r.off >= len(r.data) {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = r.data[r.off]
	r.off++
	return 1, nil
}

// lineOf returns the line (from 1) that holds the byte before offset
// off, given the offsets just past each line.
func lineOf(ends []int, off int) int {
	line, _ := slices.BinarySearch(ends, off)
	return line + 1
}

// lineEnds returns the offset just past each line of data (its newline
// included); the last line may lack one.
func lineEnds(data []byte) []int {
	var ends []int
	for off := 0; off < len(data); {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			ends = append(ends, len(data))
			break
		}
		off += i + 1
		ends = append(ends, off)
	}
	return ends
}

// firstYAMLError parses every document of data and returns the first
// error, as the loader meets it.
func firstYAMLError(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
