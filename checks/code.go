package checks

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// codeChecks read an app's source files (scanner.NeedSource): `tlsaudit
// discover` and `scan --discover` run them once per file. They match the
// skeleton of each file (comments and string contents blanked), so
// commented-out code and strings never match, and a `return true` counts
// only inside the callback in question.
func codeChecks() []*scanner.Check {
	return []*scanner.Check{
		CodeTLSVerificationDisabled,
		CodeHostnameVerificationDisabled,
		CodeCleartextAllowed,
		CodeCleartextURL,
		CodeUserCATrusted,
		CodePinning,
	}
}

// codeRefs are references every code check shares.
const (
	refMASVSNetwork = "https://mas.owasp.org/MASVS/controls/MASVS-NETWORK-1/"
	refMASTGNetwork = "https://mas.owasp.org/MASTG/0x04f-Testing-Network-Communication/"
	refAndroidNSC   = "https://developer.android.com/privacy-and-security/security-config"
	refAppleATS     = "https://developer.apple.com/documentation/bundleresources/information_property_list/nsapptransportsecurity"
)

// findAll returns re's matches in s, or none at once when s holds none of
// the words every match contains: most files mention none of them, and
// strings.Contains costs far less than a regular expression.
func findAll(re *regexp.Regexp, s string, words ...string) [][]int {
	for _, w := range words {
		if strings.Contains(s, w) {
			return re.FindAllStringSubmatchIndex(s, -1)
		}
	}
	return nil
}

// source returns the file a code pass reads.
func source(p *scanner.Pass) *scanner.SourceFile { return p.Result.Source }

// reportAt reports a finding at an offset of the pass's file.
func reportAt(p *scanner.Pass, offset int, evidence map[string]string, format string, args ...any) {
	f := scanner.Finding{Location: source(p).Location(offset), Evidence: evidence}
	f.Message = fmt.Sprintf(format, args...)
	p.Report(f)
}

// A callback is a function value found in code.
type callback struct {
	// body is the span of the body: an expression, or the inside of a
	// block.
	body [2]int
	// block is set for a { … } body of statements; closure additionally
	// when the block's last expression is its value (Kotlin lambdas, Swift
	// closures).
	block, closure bool
}

var (
	jsFunction = regexp.MustCompile(`^function\b\s*[\w$]*\s*\(`)
	swiftIn    = regexp.MustCompile(`^[\s\w,?:()\[\]<>.!]*?\bin\b`)
)

// callbackAt reads the function value that starts at i (after `=`, `:` or
// an opening parenthesis):
//
//	(params) => expr   (params) => { … }   (params) async { … }   Dart, JS
//	(params) -> expr   (params) -> { … }                          Java
//	{ params -> body }  { params in body }  { body }              Kotlin, Swift
//	function (params) { … }                                       JS
//	name                          a function of that name in the same file
func callbackAt(src *scanner.SourceFile, i int) (callback, bool) {
	s := src.Skeleton
	i = skipSpace(s, i)
	if i >= len(s) {
		return callback{}, false
	}
	if m := jsFunction.FindStringIndex(s[i:]); m != nil {
		return paramsThenBody(src, i+m[1]-1)
	}
	switch c := s[i]; {
	case c == '(':
		return paramsThenBody(src, i)
	case c == '{':
		end := src.Close(i)
		if end < 0 {
			return callback{}, false
		}
		inner := s[i+1 : end]
		start := i + 1
		if a := strings.Index(inner, "->"); a >= 0 && !strings.ContainsAny(inner[:a], "{}();=") {
			start += a + 2
		} else if m := swiftIn.FindStringIndex(inner); m != nil && !strings.ContainsAny(inner[:m[1]], "{};=") {
			start += m[1]
		}
		return callback{body: [2]int{start, end}, block: true, closure: true}, true
	case isWordByte(c):
		j := i
		for j < len(s) && (isWordByte(s[j]) || s[j] == '.') {
			j++
		}
		name := s[i:j]
		if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
			name = name[dot+1:]
		}
		return namedFunction(src, name, i)
	}
	return callback{}, false
}

// paramsThenBody reads "(params) [async] => expr | -> expr | { block }"
// from the parenthesis at open.
func paramsThenBody(src *scanner.SourceFile, open int) (callback, bool) {
	s := src.Skeleton
	end := src.Close(open)
	if end < 0 {
		return callback{}, false
	}
	j := skipSpace(s, end+1)
	if strings.HasPrefix(s[j:], "async") {
		j = skipSpace(s, j+len("async"))
	}
	switch {
	case strings.HasPrefix(s[j:], "=>"), strings.HasPrefix(s[j:], "->"):
		k := skipSpace(s, j+2)
		if k < len(s) && s[k] == '{' {
			return blockAt(src, k, false)
		}
		return callback{body: [2]int{k, exprEnd(s, k)}}, true
	case j < len(s) && s[j] == '{':
		return blockAt(src, j, false)
	case s[open+1:end] != "":
		// ((params) => expr): a parenthesized function value.
		return callbackAt(src, open+1)
	}
	return callback{}, false
}

func blockAt(src *scanner.SourceFile, open int, closure bool) (callback, bool) {
	end := src.Close(open)
	if end < 0 {
		return callback{}, false
	}
	return callback{body: [2]int{open + 1, end}, block: true, closure: closure}, true
}

// namedFunction finds the definition of function name in the file: a
// "name(params)" followed by a body (Dart, Kotlin, Java, Swift, JS), not
// the reference at ref.
func namedFunction(src *scanner.SourceFile, name string, ref int) (callback, bool) {
	re, err := regexp.Compile(`\b` + regexp.QuoteMeta(name) + `\s*\(`)
	if err != nil {
		return callback{}, false
	}
	for _, m := range re.FindAllStringIndex(src.Skeleton, -1) {
		if m[0] == ref {
			continue
		}
		if cb, ok := functionBody(src, m[1]-1); ok {
			return cb, true
		}
	}
	return callback{}, false
}

var returnType = regexp.MustCompile(`^:\s*[\w.<>?\[\]]+\s*`)

// functionBody reads the body after a definition's parameter list at
// open: "{ … }", "=> expr" (Dart), "= expr" (Kotlin), with an optional
// Kotlin return type or Java throws clause before it.
func functionBody(src *scanner.SourceFile, open int) (callback, bool) {
	s := src.Skeleton
	end := src.Close(open)
	if end < 0 {
		return callback{}, false
	}
	j := skipSpace(s, end+1)
	if m := returnType.FindStringIndex(s[j:]); m != nil {
		j += m[1]
	}
	if strings.HasPrefix(s[j:], "throws") {
		if k := strings.IndexAny(s[j:], "{;"); k >= 0 {
			j += k
		}
	}
	switch {
	case strings.HasPrefix(s[j:], "=>"):
		k := skipSpace(s, j+2)
		return callback{body: [2]int{k, exprEnd(s, k)}}, true
	case strings.HasPrefix(s[j:], "=") && !strings.HasPrefix(s[j:], "=="):
		k := skipSpace(s, j+1)
		return callback{body: [2]int{k, exprEnd(s, k)}}, true
	case j < len(s) && s[j] == '{':
		return blockAt(src, j, false)
	}
	return callback{}, false
}

// exprEnd is where the expression starting at i ends: at a ; or , or a
// closing bracket outside any brackets it opens, or at a line end where
// nothing is left open and the next line does not continue it.
func exprEnd(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth == 0 {
				return j
			}
			depth--
		case ';', ',':
			if depth == 0 {
				return j
			}
		case '\n':
			if depth == 0 && strings.TrimSpace(s[i:j]) != "" && !continues(s[j+1:]) && !continues(reverse(strings.TrimSpace(s[i:j]))) {
				return j
			}
		}
	}
	return len(s)
}

// continues reports whether an expression goes on across a line break:
// the next line starts with an operator, or (given reversed) the line
// ended with one.
func continues(s string) bool {
	t := strings.TrimLeft(s, " \t\r\n")
	for _, op := range []string{"&&", "||", "==", "!=", "?", ":", ".", "+", "-", "*", "/", "<", ">", "="} {
		if strings.HasPrefix(t, op) {
			return true
		}
	}
	return false
}

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// acceptance is what a boolean callback can return.
type acceptance int

const (
	never     acceptance = iota // returns only false (or nothing)
	sometimes                   // returns true on some path, or a computed value
	always                      // returns only true
)

var returnStmt = regexp.MustCompile(`\breturn\b([^;\n}]*)`)

// returns lists the values the callback returns, as written (from Code),
// spaces collapsed.
func (cb callback) returns(src *scanner.SourceFile) []string {
	body := src.Skeleton[cb.body[0]:cb.body[1]]
	code := src.Code[cb.body[0]:cb.body[1]]
	if !cb.block {
		return []string{collapse(code)}
	}
	var out []string
	for _, m := range returnStmt.FindAllStringSubmatchIndex(body, -1) {
		if v := collapse(code[m[2]:m[3]]); v != "" {
			out = append(out, v)
		}
	}
	if cb.closure {
		// The last expression of a Kotlin lambda or a single-expression
		// Swift closure is its value.
		lines := strings.Split(strings.TrimSpace(body), "\n")
		last := strings.TrimSpace(lines[len(lines)-1])
		if last != "" && !strings.HasPrefix(last, "return") && !strings.HasSuffix(last, "}") {
			start := strings.LastIndex(body, last)
			out = append(out, collapse(code[start:start+len(last)]))
		}
	}
	return out
}

// accepts judges a boolean callback from its return values.
func (cb callback) accepts(src *scanner.SourceFile) (acceptance, []string) {
	values := cb.returns(src)
	seenTrue, seenOther := false, false
	for _, v := range values {
		switch strings.TrimSuffix(v, ";") {
		case "true":
			seenTrue = true
		case "false":
		default:
			seenOther = true
		}
	}
	switch {
	case seenTrue && !seenOther && !strings.Contains(strings.Join(values, " "), "false"):
		return always, values
	case seenTrue || seenOther:
		return sometimes, values
	}
	return never, values
}

// text is the callback's body as written.
func (cb callback) text(src *scanner.SourceFile) string {
	return src.Code[cb.body[0]:cb.body[1]]
}

// skeleton is the callback's body with strings blanked.
func (cb callback) skeleton(src *scanner.SourceFile) string {
	return src.Skeleton[cb.body[0]:cb.body[1]]
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// quoteExpr shortens an expression for a message.
func quoteExpr(s string) string {
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return "`" + s + "`"
}
