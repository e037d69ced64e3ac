package hsts

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		raw       string
		valid     bool
		maxAge    int64
		subdomain bool
		preload   bool
		problem   string // a substring of the first problem, when invalid
	}{
		{"max-age=31536000", true, 31536000, false, false, ""},
		{"max-age=63072000; includeSubDomains; preload", true, 63072000, true, true, ""},
		// Names are case-insensitive; whitespace around tokens is allowed.
		{"  MAX-AGE = 600 ;INCLUDESUBDOMAINS  ", true, 600, true, false, ""},
		// The value may be quoted; the directive name may not.
		{`max-age="31536000"`, true, 31536000, false, false, ""},
		{`max-age="3153\6000"`, true, 31536000, false, false, ""},
		// Empty directives are allowed by the grammar.
		{";;max-age=1;;includeSubDomains;", true, 1, true, false, ""},
		// max-age=0 is valid: it tells browsers to forget the host.
		{"max-age=0", true, 0, false, false, ""},
		// Values too large are treated as 2^31 seconds, not rejected.
		{"max-age=99999999999999999999999", true, MaxAgeCap, false, false, ""},
		// Unknown directives are ignored, with or without values.
		{"max-age=10; report-uri=\"https://x.example/r\"; foo", true, 10, false, false, ""},

		{"", false, -1, false, false, "max-age is missing"},
		{"includeSubDomains", false, -1, true, false, "max-age is missing"},
		{"max-age=31536000, includeSubDomains", false, -1, false, false, `unexpected ','`},
		{"max-age=31536000; includeSubDomains; max-age=60", false, -1, true, false, "max-age appears 2 times"},
		{"max-age=1; includeSubDomains; includesubdomains", false, -1, true, false, "includeSubDomains appears 2 times"},
		{"max-age", false, -1, false, false, "max-age has no value"},
		{"max-age=", false, -1, false, false, `has "=" but no value`},
		{"max-age=1y", false, -1, false, false, "not a whole number"},
		{"max-age=-1", false, -1, false, false, "not a whole number"},
		{"max-age=+5", false, -1, false, false, "not a whole number"},
		{`max-age="31536000`, false, -1, false, false, "unterminated quoted value"},
		{`"max-age"=31536000`, false, -1, false, false, "directive name should start"},
		{"max-age=1; includeSubDomains=true", false, -1, true, false, "includeSubDomains takes no value"},
		{"max-age=1; preload=yes", false, -1, false, true, "preload takes no value"},
		{"max-age=31536000 includeSubDomains", false, -1, false, false, `unexpected 'i'`},
		{"max-age=1\x00", false, -1, false, false, "unexpected"},
		{"max-age=1; caf\xc3\xa9", false, -1, false, false, "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			p := Parse(tt.raw)
			if p.Valid != tt.valid || p.MaxAge != tt.maxAge || p.IncludeSubDomains != tt.subdomain || p.Preload != tt.preload {
				t.Errorf("Parse(%q) = %+v, want valid=%v max-age=%d includeSubDomains=%v preload=%v",
					tt.raw, p, tt.valid, tt.maxAge, tt.subdomain, tt.preload)
			}
			if tt.valid && len(p.Problems) > 0 {
				t.Errorf("valid header has problems %q", p.Problems)
			}
			if !tt.valid && (len(p.Problems) == 0 || !strings.Contains(p.Problems[0], tt.problem)) {
				t.Errorf("problems %q, want one containing %q", p.Problems, tt.problem)
			}
		})
	}
}

func TestUnknownDirectivesAreListed(t *testing.T) {
	p := Parse("max-age=31536000; includeSubdomain; includeSubdomain")
	if !p.Valid || p.IncludeSubDomains || len(p.Unknown) != 1 || p.Unknown[0] != "includeSubdomain" {
		t.Errorf("got %+v", p)
	}
}

func TestString(t *testing.T) {
	if got := Parse(" max-age=\"600\" ; PRELOAD;includesubdomains").String(); got != "max-age=600; includeSubDomains; preload" {
		t.Errorf("String() = %q", got)
	}
	if got := Parse("bad,").String(); got != "bad," {
		t.Errorf("invalid policy String() = %q, want the raw value", got)
	}
}

// FuzzParse checks that Parse never panics and is consistent: a valid
// policy's canonical form parses to the same policy, and an invalid one
// always says why.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"max-age=31536000; includeSubDomains; preload", `max-age="1"`, "max-age=0",
		"max-age=1, includeSubDomains", ";;", `max-age="\`, "MAX-AGE=99999999999999999999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p := Parse(raw)
		if !p.Valid {
			if len(p.Problems) == 0 || p.MaxAge != -1 {
				t.Fatalf("invalid policy %+v without a problem, or with a max-age", p)
			}
			return
		}
		if p.MaxAge < 0 || p.MaxAge > MaxAgeCap {
			t.Fatalf("max-age %d out of range", p.MaxAge)
		}
		q := Parse(p.String())
		if !q.Valid || q.MaxAge != p.MaxAge || q.IncludeSubDomains != p.IncludeSubDomains || q.Preload != p.Preload {
			t.Fatalf("canonical form %q of %q parses to %+v", p.String(), raw, q)
		}
	})
}
