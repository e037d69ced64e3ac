package report

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// hostileSeeds are the strings a server controls that have fooled
// terminals and log viewers: escapes that clear the screen or retitle the
// window, line breaks that forge rows, bidi overrides that reverse what a
// reader sees, invalid UTF-8, zero-width and wide characters.
var hostileSeeds = []string{
	"plain.example.com",
	"evil\x1b[2J\x1b[H\nfake row",
	"\x1b]0;pwned\x07title",
	"line\r\noverwrite",
	"gnp.exe\u202e",
	"\u2066isolate\u2069 \u200bzero\u200dwidth",
	"\xff\xfe\xc0\xaf invalid",
	"separator\u2028para\u2029",
	"全角の名前とemoji 🔒",
	"│ HIGH │ forged │ cell │",
	strings.Repeat("long ", 60),
	"",
}

// fuzzMarker prefixes the check IDs of the rows a fuzz result must have,
// so each row can be found in the table. Hostile input that contains it is
// skipped (it could forge a row marker, which is not what is tested).
const fuzzMarker = "zqxrow"

// hostileResult builds a result carrying s everywhere a server's or
// user's string can reach a report, with kinds rows: an error, findings,
// a check error.
func hostileResult(t *testing.T, s string, findings int) *scanner.Result {
	key := ed25519.NewKeyFromSeed(make32(9))
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(9),
		Subject:      pkix.Name{CommonName: s, Organization: []string{s}},
		NotBefore:    fixtureStart.Add(-time.Hour),
		NotAfter:     fixtureStart.Add(time.Hour),
	}
	var chain []*x509.Certificate
	var raw [][]byte
	if der, err := x509.CreateCertificate(nil, tpl, tpl, key.Public(), key); err == nil {
		if c, err := x509.ParseCertificate(der); err == nil {
			chain, raw = []*x509.Certificate{c}, [][]byte{der}
		}
	}
	r := &scanner.Result{
		Target: &scanner.Target{Name: s, Host: s, Port: 443, ServerName: s, Tags: []string{s},
			Source: fileloc.Location{File: s, Line: 1, Column: 1}},
		Addr: s, Resolved: []string{s}, Start: fixtureStart, Duration: time.Millisecond,
		Handshake: &handshake.Handshake{Client: "crypto/tls", Version: 0x0304, CipherSuite: 0x1301, ALPN: s,
			Chain: chain, RawChain: raw, ModernError: s,
			Trust: handshake.Trust{Status: handshake.TrustSelfSigned, Roots: s, Detail: s, Anchor: s, MissingIssuer: s, IssuerURLs: []string{s}}},
		Err:         &netx.ScanError{Kind: netx.KindHandshake, Err: errString(s)},
		CheckErrors: []scanner.CheckError{{CheckID: fuzzMarker + "-undecided", Err: s}},
	}
	for i := range findings {
		r.Findings = append(r.Findings, scanner.Finding{
			CheckID:  fmt.Sprintf("%s-%02d", fuzzMarker, i),
			Severity: scanner.Severity(1 + i%5),
			Message:  s,
			Evidence: map[string]string{s: s, "k": s},
		})
	}
	return r
}

// FuzzReportWriters writes a result full of a hostile string in every
// format and checks the promises each makes: the table escapes everything
// and keeps one row per finding; JSON and JSON Lines stay valid, one line
// per result, and carry the string intact (when it is valid UTF-8).
func FuzzReportWriters(f *testing.F) {
	for i, s := range hostileSeeds {
		f.Add(s, uint8(i%4))
	}
	f.Fuzz(func(t *testing.T, s string, n uint8) {
		if strings.Contains(s, fuzzMarker) {
			t.Skip()
		}
		findings := int(n % 6)
		r := hostileResult(t, s, findings)
		for _, format := range Formats {
			for _, color := range []bool{false, true} {
				if color && format != "table" {
					continue
				}
				var buf bytes.Buffer
				w, err := New(format, &buf, fixtureMeta(), Options{Color: color})
				if err != nil {
					t.Fatal(err)
				}
				if err := w.Write(r); err != nil {
					t.Fatalf("%s: write: %v", format, err)
				}
				sum := NewSummary()
				sum.Add(r)
				if err := w.Close(sum); err != nil {
					t.Fatalf("%s: close: %v", format, err)
				}
				checkFormat(t, format, color, buf.Bytes(), s, findings)
			}
		}
	})
}

func checkFormat(t *testing.T, format string, color bool, out []byte, s string, findings int) {
	t.Helper()
	if format != "table" {
		// Printed on a terminal, JSON must not act on it either: what
		// encoding/json writes raw (DEL, C1, format characters) is escaped.
		if r, ok := rawUnprintable(out); ok {
			t.Fatalf("%s: raw %U in the output for %q", format, r, s)
		}
	}
	switch format {
	case "table":
		checkTable(t, color, string(out), findings)
	case "json":
		if !json.Valid(out) {
			t.Fatalf("json: invalid output for %q:\n%s", s, out)
		}
		var doc struct {
			Results []ResultJSON `json:"results"`
		}
		if err := json.Unmarshal(out, &doc); err != nil || len(doc.Results) != 1 {
			t.Fatalf("json: %v, %d results", err, len(doc.Results))
		}
		checkRoundTrip(t, "json", doc.Results[0], s, findings)
	case "jsonl":
		lines := bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n"))
		if len(lines) != 1 {
			t.Fatalf("jsonl: %d lines for one result:\n%s", len(lines), out)
		}
		var l LineJSON
		if err := json.Unmarshal(lines[0], &l); err != nil {
			t.Fatalf("jsonl: %v", err)
		}
		checkRoundTrip(t, "jsonl", l.ResultJSON, s, findings)
	case "sarif":
		var doc struct {
			Runs []struct {
				Results []struct {
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("sarif: invalid JSON for %q: %v", s, err)
		}
		n := 0
		for _, run := range doc.Runs {
			for _, r := range run.Results {
				n++
				// Code scanning shows the text as is: escaped, one line.
				for _, c := range r.Message.Text {
					if c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) {
						t.Fatalf("sarif: raw %U in a result message: %q", c, r.Message.Text)
					}
				}
			}
		}
		if n != findings {
			t.Errorf("sarif: %d results for %d findings", n, findings)
		}
	case "csv":
		rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil || len(rows) != 1+findings+2 { // header, findings, the error, the undecided check
			t.Fatalf("csv: %v, %d rows for %d findings:\n%s", err, len(rows), findings, out)
		}
	case "openmetrics":
		parseMetrics(t, out)
	case "html":
		if n := bytes.Count(out, []byte("<script")); n != 1 {
			t.Fatalf("html: %d script elements for %q", n, s)
		}
	case "markdown":
		if n := bytes.Count(out, []byte("<details>")); n != 1 {
			t.Fatalf("markdown: %d details blocks for %q", n, s)
		}
	default:
		t.Fatalf("%s: no check for this format", format)
	}
}

func checkRoundTrip(t *testing.T, format string, r ResultJSON, s string, findings int) {
	t.Helper()
	if len(r.Findings) != findings {
		t.Errorf("%s: %d findings, want %d", format, len(r.Findings), findings)
	}
	if !utf8.ValidString(s) {
		return // encoding/json replaces invalid bytes with U+FFFD, by design
	}
	name := s
	if s == "" {
		name = ":443" // an unnamed target is labelled host:port
	}
	if r.Name != name || r.Error == nil || r.Error.Message != s || (findings > 0 && r.Findings[0].Message != s) {
		t.Errorf("%s: strings changed on the way: name %q, error %+v", format, r.Name, r.Error)
	}
}

// checkTable checks that no byte that could act on a terminal or mislead
// a reader is left raw, and that every expected row (the error, each
// finding, the check error) starts on a line of its own, once.
func checkTable(t *testing.T, color bool, out string, findings int) {
	t.Helper()
	if color {
		for _, code := range []string{colorCritical, colorHigh, colorMedium, colorLow, colorInfo, colorOK, colorError, "0"} {
			out = strings.ReplaceAll(out, "\x1b["+code+"m", "")
		}
	}
	if !utf8.ValidString(out) {
		t.Fatalf("table: invalid UTF-8 reaches the terminal:\n%q", out)
	}
	for _, c := range out {
		if c == '\n' {
			continue
		}
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
			(c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029 || c == 0x200b || c == 0x200d || c == 0x200e || c == 0x200f {
			t.Fatalf("table: raw %U reaches the terminal:\n%q", c, out)
		}
	}
	want := []string{fuzzMarker + "-undecided", "handshake-failed"}
	for i := range findings {
		want = append(want, fmt.Sprintf("%s-%02d", fuzzMarker, i))
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	seen := map[string]int{}
	for sc.Scan() {
		line := sc.Text()
		n := 0
		for _, m := range want {
			if strings.Contains(line+" ", m+" ") { // a row's trailing blanks are trimmed
				seen[m]++
				n++
			}
		}
		if n > 1 {
			t.Fatalf("table: two rows on one line: %q", line)
		}
	}
	for _, m := range want {
		if seen[m] != 1 {
			t.Fatalf("table: row %s appears %d times:\n%s", m, seen[m], out)
		}
	}
}

// FuzzChainSummary summarises a served chain of arbitrary DER, as the
// JSON report does for every certificate a server sends: certificates
// crypto/x509 refuses are reported with their parse error, and nothing
// panics or breaks the JSON.
func FuzzChainSummary(f *testing.F) {
	good := fixtureCert(f, 1, "api.example.com", []string{"api.example.com"}, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	f.Add(good.Raw, []byte{})
	f.Add(good.Raw[:len(good.Raw)/2], good.Raw)
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x01}, []byte("\x30\x80"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		raw := [][]byte{a}
		if len(b) > 0 {
			raw = append(raw, b)
		}
		h := &handshake.Handshake{Client: "zcrypto", Version: 0x0303, RawChain: raw}
		// What the scanner does with a served chain (scanner.parseChain):
		// parse each, record failures, drop everything if the leaf fails.
		for i, der := range raw {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				if h.ParseErrors == nil {
					h.ParseErrors = map[int]string{}
				}
				h.ParseErrors[i] = err.Error()
				continue
			}
			h.Chain = append(h.Chain, c)
		}
		if h.ParseErrors[0] != "" {
			h.Chain = nil
		}
		r := &scanner.Result{Target: &scanner.Target{Name: "t", Host: "t.example", Port: 443}, Start: fixtureStart, Handshake: h}
		out, err := json.Marshal(ToJSON(r, nil))
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var back ResultJSON
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("round trip: %v", err)
		}
		if len(back.Chain) > len(raw) {
			t.Errorf("%d certificates summarised from %d served", len(back.Chain), len(raw))
		}
		for i, c := range back.Chain {
			if c.ParseError == "" && c.SHA256 == "" {
				t.Errorf("certificate %d: neither a summary nor a parse error", i)
			}
		}
	})
}

// rawUnprintable finds, in JSON text, a character other than printable
// ASCII, newline, tab and printable non-ASCII (unicode.IsPrint).
func rawUnprintable(out []byte) (rune, bool) {
	for _, r := range string(out) {
		if r == '\n' || r == '\t' || r >= 0x20 && r < 0x7f {
			continue
		}
		if r < 0x80 || !unicode.IsPrint(r) {
			return r, true
		}
	}
	return 0, false
}
