package report

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// sarifRecord is a finding or notification in the SARIF writer's spill
// file, with what of its target the document needs.
//
// Strings that the document escapes, hashes or puts in a URI are bstr, so
// that they come back byte for byte: JSON would replace invalid UTF-8 (a
// certificate subject's stray \xff), which the document shows escaped.
// Those that only reach the document as JSON values (evidence, tags) are
// plain strings: the final marshal replaces the same bytes the same way.
type sarifRecord struct {
	Target  sarifTarget   `json:"t"`
	Addr    bstr          `json:"a,omitempty"`
	Finding *sarifFinding `json:"f,omitempty"`
	Note    *sarifNote    `json:"n,omitempty"`
}

type sarifTarget struct {
	Index      int             `json:"i"`
	Name       bstr            `json:"n,omitempty"`
	Host       bstr            `json:"h,omitempty"`
	Port       int             `json:"p,omitempty"`
	ServerName bstr            `json:"s,omitempty"`
	Tags       []string        `json:"g,omitempty"`
	Source     sarifLocation   `json:"l"`
	Sources    []sarifLocation `json:"ls,omitempty"`
	SourceTree bstr            `json:"st,omitempty"`
}

type sarifLocation struct {
	File   bstr `json:"f,omitempty"`
	Line   int  `json:"l,omitempty"`
	Column int  `json:"c,omitempty"`
}

type sarifFinding struct {
	CheckID    bstr              `json:"c"`
	Severity   uint8             `json:"s"` // as a number: any value, unset too, goes through
	Message    bstr              `json:"m"`
	Evidence   map[string]string `json:"e,omitempty"`
	Location   sarifLocation     `json:"l"`
	Acceptance *sarifAcceptance  `json:"a,omitempty"`
	Expired    bool              `json:"x,omitempty"`
}

type sarifAcceptance struct {
	Check  bstr          `json:"c"`
	Until  time.Time     `json:"u"`
	Reason bstr          `json:"r"`
	Source sarifLocation `json:"l"`
}

type sarifNote struct {
	Level     string `json:"l"`
	Text      bstr   `json:"t"`
	Rule      bstr   `json:"r,omitempty"` // the check that could not decide, if any
	ErrorKind bstr   `json:"k,omitempty"`
}

func recordLocation(l fileloc.Location) sarifLocation {
	return sarifLocation{bstr(l.File), l.Line, l.Column}
}

func (l sarifLocation) location() fileloc.Location {
	return fileloc.Location{File: string(l.File), Line: l.Line, Column: l.Column}
}

func recordTarget(t *scanner.Target) sarifTarget {
	st := sarifTarget{Index: t.Index, Name: bstr(t.Name), Host: bstr(t.Host), Port: t.Port, ServerName: bstr(t.ServerName),
		Tags: t.Tags, Source: recordLocation(t.Source), SourceTree: bstr(t.SourceTree)}
	for _, l := range t.Sources {
		st.Sources = append(st.Sources, recordLocation(l))
	}
	return st
}

func (st *sarifTarget) target() *scanner.Target {
	t := &scanner.Target{Index: st.Index, Name: string(st.Name), Host: string(st.Host), Port: st.Port, ServerName: string(st.ServerName),
		Tags: st.Tags, Source: st.Source.location(), SourceTree: string(st.SourceTree)}
	for _, l := range st.Sources {
		t.Sources = append(t.Sources, l.location())
	}
	return t
}

func recordFinding(f *scanner.Finding) *sarifFinding {
	sf := &sarifFinding{CheckID: bstr(f.CheckID), Severity: uint8(f.Severity), Message: bstr(f.Message), Evidence: f.Evidence,
		Location: recordLocation(f.Location), Expired: f.AcceptanceExpired}
	if a := f.Acceptance; a != nil {
		sf.Acceptance = &sarifAcceptance{bstr(a.Check), a.Until, bstr(a.Reason), recordLocation(a.Source)}
	}
	return sf
}

func (sf *sarifFinding) finding() scanner.Finding {
	f := scanner.Finding{CheckID: string(sf.CheckID), Severity: scanner.Severity(sf.Severity), Message: string(sf.Message), Evidence: sf.Evidence,
		Location: sf.Location.location(), AcceptanceExpired: sf.Expired}
	if a := sf.Acceptance; a != nil {
		f.Acceptance = &scanner.Acceptance{Check: string(a.Check), Until: a.Until, Reason: string(a.Reason), Source: a.Source.location()}
	}
	return f
}

// bstr is a string that survives JSON byte for byte: valid UTF-8 as a
// JSON string, anything else as a one-element list of its base64.
type bstr string

func (s bstr) MarshalJSON() ([]byte, error) {
	if utf8.ValidString(string(s)) {
		return json.Marshal(string(s))
	}
	return json.Marshal([]string{base64.StdEncoding.EncodeToString([]byte(s))})
}

func (s *bstr) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		var enc []string
		if err := json.Unmarshal(b, &enc); err != nil || len(enc) != 1 {
			return errors.New("bstr: not a one-element list")
		}
		raw, err := base64.StdEncoding.DecodeString(enc[0])
		*s = bstr(raw)
		return err
	}
	var str string
	err := json.Unmarshal(b, &str)
	*s = bstr(str)
	return err
}
