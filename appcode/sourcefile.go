// Package appcode is the model of an app's source tree as tlsaudit reads
// it: each file's text with its comments (Code) and string contents
// (Skeleton) blanked by a per-language lexer, the line index that turns an
// offset into a file:line:column, the hosts and certificate pins a file
// names, and the helpers that find callbacks and the values they return.
// Discovery builds SourceFiles; the code checks (scanner.NeedSource) only
// read them.
package appcode

import (
	"crypto/x509"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
)

// A SourceFile is one file of an app's source tree as code checks
// (scanner.NeedSource) see it. Discovery reads and lexes each file once; checks
// only read, like host checks read a handshake.
//
// Text, Code and Skeleton have the same length and line breaks, so an
// offset found in one is a place in all three and Location turns it into
// file:line:column.
type SourceFile struct {
	// Path is the file as reports name it: the tree's path as the user
	// gave it, joined with the file's path inside the tree.
	Path string
	// Lang is the file's language or format: dart, kotlin, java, swift,
	// objc, js, go, gradle, xml, plist, env, yaml, json, properties or
	// xcconfig.
	Lang string
	// Text is the file's content.
	Text string
	// Code is Text with comments blanked (spaces, line breaks kept), so
	// commented-out code never matches.
	Code string
	// Skeleton is Code with the contents of string literals blanked too
	// (quotes kept), for matching code structure: a brace or "return
	// true" inside a string is not code.
	Skeleton string
	// Endpoints are the hosts the file names that discovery kept (after
	// the drop list), in file order.
	Endpoints []SourceEndpoint
	// PinSets are the certificate pins the file sets.
	PinSets []*PinSet

	lineStarts []int
}

// NewSourceFile lexes text, a file in language lang (see Lang), into the
// source file the code checks read; path is how reports name it.
func NewSourceFile(path, lang, text string) *SourceFile {
	code, skeleton := lex(lang, text)
	return newSourceFile(path, lang, text, code, skeleton)
}

// newSourceFile returns a source file; code and skeleton must have text's
// length.
func newSourceFile(path, lang, text, code, skeleton string) *SourceFile {
	f := &SourceFile{Path: path, Lang: lang, Text: text, Code: code, Skeleton: skeleton, lineStarts: []int{0}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			f.lineStarts = append(f.lineStarts, i+1)
		}
	}
	return f
}

// Location is the place of a byte offset: line and column from 1, the
// column counted in Unicode code points (as SARIF's columnKind says, and
// as editors count).
func (f *SourceFile) Location(offset int) fileloc.Location {
	offset = min(max(offset, 0), len(f.Text))
	line := sort.Search(len(f.lineStarts), func(i int) bool { return f.lineStarts[i] > offset })
	col := utf8.RuneCountInString(f.Text[f.lineStarts[line-1]:offset]) + 1
	return fileloc.Location{File: f.Path, Line: line, Column: col}
}

// A SourceEndpoint is a host an app's source names.
type SourceEndpoint struct {
	// Scheme is "https" or "http" (cleartext).
	Scheme string
	// Host is a lowercase DNS name or an IP literal.
	Host string
	// Port is the port written, or 0 when none was.
	Port int
	// At is where in the file the host is named.
	At fileloc.Location
	// Form says how it was written: "url", "Uri.https", "Uri.http",
	// "Uri()", "domain" (network security config), "pinner" (OkHttp
	// CertificatePinner), "constant" (a host-name constant or config key).
	Form string
}

// A PinSet is a set of keys an app's code pins for some hosts: a client
// that enforces it refuses a server whose chain holds none of the keys.
type PinSet struct {
	// Where is the place the pins are set.
	Where fileloc.Location
	// Kind says which mechanism sets them, for messages.
	Kind string
	// Hosts are the names the pins apply to: exact names, "*.domain" (any
	// name under domain, as includeSubdomains and OkHttp's "**." mean) or
	// "+.domain" (exactly one label under it, OkHttp's "*."). Empty means
	// the hosts named in the same file (a Dart SecurityContext, which
	// applies to the HttpClient built in that file).
	Hosts []string
	// SPKI are base64 SHA-256 hashes of SubjectPublicKeyInfo
	// (certinfo.SPKIPin form, without a "sha256/" prefix).
	SPKI []string
	// Certs are pinned certificates (a Dart SecurityContext that trusts
	// only them): a chain holding one's key, or issued by one, matches.
	Certs []*x509.Certificate
	// Expires, when set, is when the app stops enforcing the pins
	// (Android pin-set expiration).
	Expires time.Time
	// Unresolved says why the pinned keys could not be read (certificates
	// loaded at run time); the set then cannot be compared.
	Unresolved string
}

// Keys is how many keys the set pins.
func (p *PinSet) Keys() int { return len(p.SPKI) + len(p.Certs) }

// Close returns the offset of the bracket that closes the one at open, in
// the skeleton (where brackets inside strings and comments are blanked),
// or -1 when it is not closed or the brackets do not nest.
func (f *SourceFile) Close(open int) int {
	var stack []byte
	pairs := map[byte]byte{')': '(', ']': '[', '}': '{'}
	for i := open; i < len(f.Skeleton); i++ {
		switch c := f.Skeleton[i]; c {
		case '(', '[', '{':
			stack = append(stack, c)
		case ')', ']', '}':
			if len(stack) == 0 || stack[len(stack)-1] != pairs[c] {
				return -1
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return i
			}
		}
	}
	return -1
}
