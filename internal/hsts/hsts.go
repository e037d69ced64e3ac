// Package hsts parses the Strict-Transport-Security header field as
// RFC 6797 §6.1 defines it, and as browsers apply it: a header that breaks
// the grammar, lacks max-age or repeats a directive is ignored whole, so
// the site has no HSTS at all even though it "sends the header".
//
// No Go library parses this header (the module proxy has none); the
// grammar is small, and FuzzParse exercises the parser.
package hsts

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxAgeCap is the largest max-age kept. RFC 6797 §6.1.1 takes
// delta-seconds from RFC 2616 §3.3.2, which says a value too large to
// represent must be treated as 2^31 seconds (68 years): huge values are
// valid, not overflow errors.
const MaxAgeCap = 1 << 31

// A Policy is one parsed Strict-Transport-Security header field value.
type Policy struct {
	// Raw is the header field value as received.
	Raw string
	// Valid is false when a browser must ignore the header (RFC 6797
	// §6.1 rule 4, §6.1.1: max-age is required; §6.1 rule 2: each
	// directive appears only once). Problems says why.
	Valid    bool
	Problems []string

	// MaxAge is in seconds, capped at MaxAgeCap; -1 when absent or
	// unparsable. Zero is valid and means "forget this host" (§6.1.1).
	MaxAge            int64
	IncludeSubDomains bool
	// Preload is the hstspreload.org opt-in; not part of RFC 6797, so
	// browsers ignore it in the header and only the preload list matters.
	Preload bool
	// Unknown lists directive names browsers ignore (§6.1 rule 5), such as
	// a misspelt "includeSubdomain": worth telling the operator, since the
	// directive they meant is then not in force.
	Unknown []string
}

// Parse parses one header field value. It never fails: a value browsers
// would ignore comes back with Valid false and the reasons.
func Parse(raw string) Policy {
	p := Policy{Raw: raw, MaxAge: -1}
	seen := map[string]int{}
	problem := func(format string, args ...any) {
		p.Problems = append(p.Problems, fmt.Sprintf(format, args...))
	}
	s := scanner{in: raw}
	for {
		s.skipSpace()
		if s.done() {
			break
		}
		if s.peek() == ';' { // empty directive: [ directive ] *( ";" [ directive ] )
			s.pos++
			continue
		}
		start := s.pos
		name := s.token()
		if name == "" {
			problem("unexpected %q at offset %d where a directive name should start", s.peek(), start)
			break
		}
		var value string
		hasValue := false
		s.skipSpace()
		if !s.done() && s.peek() == '=' {
			s.pos++
			s.skipSpace()
			v, ok, err := s.value()
			if err != "" {
				problem("directive %q: %s", name, err)
				break
			}
			if !ok {
				problem("directive %q has \"=\" but no value", name)
				break
			}
			value, hasValue = v, true
		}
		s.skipSpace()
		if !s.done() && s.peek() != ';' {
			// The classic mistake: directives separated by commas.
			problem("unexpected %q at offset %d after directive %q (directives are separated by \";\")", s.peek(), s.pos, name)
			break
		}
		lower := strings.ToLower(name) // §6.1 rule 3: names are case-insensitive
		seen[lower]++
		switch lower {
		case "max-age":
			if seen[lower] > 1 {
				continue
			}
			if !hasValue {
				problem("max-age has no value")
				continue
			}
			n, err := parseDeltaSeconds(value)
			if err != "" {
				problem("max-age %q: %s", value, err)
				continue
			}
			p.MaxAge = n
		case "includesubdomains":
			if seen[lower] == 1 {
				p.IncludeSubDomains = true
			}
			if hasValue {
				// §6.1.2: a valueless directive. Browsers reject the
				// header rather than guess what "=false" means.
				problem("includeSubDomains takes no value, got %q", value)
			}
		case "preload":
			if seen[lower] == 1 {
				p.Preload = true
			}
			if hasValue {
				problem("preload takes no value, got %q", value)
			}
		default:
			if seen[lower] == 1 {
				p.Unknown = append(p.Unknown, name)
			}
		}
	}
	for _, d := range []string{"max-age", "includesubdomains", "preload"} {
		if seen[d] > 1 {
			problem("%s appears %d times (each directive may appear once)", displayName(d), seen[d])
		}
	}
	if seen["max-age"] == 0 && len(p.Problems) == 0 {
		problem("max-age is missing (it is required)")
	}
	p.Valid = len(p.Problems) == 0
	if !p.Valid {
		p.MaxAge = -1
	}
	return p
}

func displayName(lower string) string {
	if lower == "includesubdomains" {
		return "includeSubDomains"
	}
	return lower
}

// parseDeltaSeconds reads 1*DIGIT, capping large values at MaxAgeCap.
func parseDeltaSeconds(v string) (int64, string) {
	if v == "" {
		return 0, "empty value"
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, "not a whole number of seconds"
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n > MaxAgeCap {
		return MaxAgeCap, ""
	}
	return n, ""
}

// String renders a valid policy canonically: what the header should say.
func (p Policy) String() string {
	if !p.Valid {
		return p.Raw
	}
	parts := []string{"max-age=" + strconv.FormatInt(p.MaxAge, 10)}
	if p.IncludeSubDomains {
		parts = append(parts, "includeSubDomains")
	}
	if p.Preload {
		parts = append(parts, "preload")
	}
	return strings.Join(parts, "; ")
}

// scanner walks a header value by RFC 2616 §2.2 rules.
type scanner struct {
	in  string
	pos int
}

func (s *scanner) done() bool { return s.pos >= len(s.in) }
func (s *scanner) peek() byte { return s.in[s.pos] }

// skipSpace skips linear whitespace (SP and HT; obs-fold line breaks are
// unfolded by the HTTP parser before the value reaches us).
func (s *scanner) skipSpace() {
	for !s.done() && (s.peek() == ' ' || s.peek() == '\t') {
		s.pos++
	}
}

// token reads 1*<any CHAR except CTLs or separators>.
func (s *scanner) token() string {
	start := s.pos
	for !s.done() && isTokenChar(s.peek()) {
		s.pos++
	}
	return s.in[start:s.pos]
}

// value reads a token or a quoted-string (whose quoted-pairs it unescapes).
// ok is false when neither starts here; err is set for an unterminated
// quoted-string.
func (s *scanner) value() (v string, ok bool, err string) {
	if s.done() {
		return "", false, ""
	}
	if s.peek() != '"' {
		t := s.token()
		return t, t != "", ""
	}
	s.pos++
	var b strings.Builder
	for !s.done() {
		c := s.peek()
		switch {
		case c == '"':
			s.pos++
			return b.String(), true, ""
		case c == '\\':
			s.pos++
			if s.done() {
				return "", false, "unterminated quoted value"
			}
			b.WriteByte(s.peek()) // quoted-pair = "\" CHAR
		case c < 0x20 && c != '\t' || c == 0x7f:
			return "", false, fmt.Sprintf("control character %q in quoted value", c)
		default:
			b.WriteByte(c)
		}
		s.pos++
	}
	return "", false, "unterminated quoted value"
}

// isTokenChar: RFC 2616 §2.2 token characters.
func isTokenChar(c byte) bool {
	if c <= 0x20 || c >= 0x7f {
		return false
	}
	return !strings.ContainsRune(`()<>@,;:\"/[]?={}`, rune(c))
}
