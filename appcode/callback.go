package appcode

import (
	"regexp"
	"strings"
)

// A Callback is a function value found in code.
type Callback struct {
	// Body is the span of the Body: an expression, or the inside of a
	// block.
	Body [2]int
	// Block is set for a { … } body of statements; Closure additionally
	// when the block's last expression is its value (Kotlin lambdas, Swift
	// closures).
	Block, Closure bool
}

var (
	jsFunction = regexp.MustCompile(`^function\b\s*[\w$]*\s*\(`)
	swiftIn    = regexp.MustCompile(`^[\s\w,?:()\[\]<>.!]*?\bin\b`)
)

// CallbackAt reads the function value that starts at i (after `=`, `:` or
// an opening parenthesis):
//
//	(params) => expr   (params) => { … }   (params) async { … }   Dart, JS
//	(params) -> expr   (params) -> { … }                          Java
//	{ params -> body }  { params in body }  { body }              Kotlin, Swift
//	function (params) { … }                                       JS
//	name                          a function of that name in the same file
func (src *SourceFile) CallbackAt(i int) (Callback, bool) {
	s := src.Skeleton
	i = skipSpace(s, i)
	if i >= len(s) {
		return Callback{}, false
	}
	if m := jsFunction.FindStringIndex(s[i:]); m != nil {
		return src.paramsThenBody(i + m[1] - 1)
	}
	switch c := s[i]; {
	case c == '(':
		return src.paramsThenBody(i)
	case c == '{':
		end := src.Close(i)
		if end < 0 {
			return Callback{}, false
		}
		inner := s[i+1 : end]
		start := i + 1
		if a := strings.Index(inner, "->"); a >= 0 && !strings.ContainsAny(inner[:a], "{}();=") {
			start += a + 2
		} else if m := swiftIn.FindStringIndex(inner); m != nil && !strings.ContainsAny(inner[:m[1]], "{};=") {
			start += m[1]
		}
		return Callback{Body: [2]int{start, end}, Block: true, Closure: true}, true
	case IsIdentByte(c):
		j := i
		for j < len(s) && (IsIdentByte(s[j]) || s[j] == '.') {
			j++
		}
		name := s[i:j]
		if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
			name = name[dot+1:]
		}
		return src.namedFunction(name, i)
	}
	return Callback{}, false
}

// paramsThenBody reads "(params) [async] => expr | -> expr | { block }"
// from the parenthesis at open.
func (src *SourceFile) paramsThenBody(open int) (Callback, bool) {
	s := src.Skeleton
	end := src.Close(open)
	if end < 0 {
		return Callback{}, false
	}
	j := skipSpace(s, end+1)
	if strings.HasPrefix(s[j:], "async") {
		j = skipSpace(s, j+len("async"))
	}
	switch {
	case strings.HasPrefix(s[j:], "=>"), strings.HasPrefix(s[j:], "->"):
		k := skipSpace(s, j+2)
		if k < len(s) && s[k] == '{' {
			return src.blockAt(k, false)
		}
		return Callback{Body: [2]int{k, exprEnd(s, k)}}, true
	case j < len(s) && s[j] == '{':
		return src.blockAt(j, false)
	case s[open+1:end] != "":
		// ((params) => expr): a parenthesized function value.
		return src.CallbackAt(open + 1)
	}
	return Callback{}, false
}

// BlockAt reads the { … } block that opens at open as a function body.
func (src *SourceFile) BlockAt(open int) (Callback, bool) { return src.blockAt(open, false) }

func (src *SourceFile) blockAt(open int, closure bool) (Callback, bool) {
	end := src.Close(open)
	if end < 0 {
		return Callback{}, false
	}
	return Callback{Body: [2]int{open + 1, end}, Block: true, Closure: closure}, true
}

// namedFunction finds the definition of function name in the file: a
// "name(params)" followed by a body (Dart, Kotlin, Java, Swift, JS), not
// the reference at ref.
func (src *SourceFile) namedFunction(name string, ref int) (Callback, bool) {
	re, err := regexp.Compile(`\b` + regexp.QuoteMeta(name) + `\s*\(`)
	if err != nil {
		return Callback{}, false
	}
	for _, m := range re.FindAllStringIndex(src.Skeleton, -1) {
		if m[0] == ref {
			continue
		}
		if cb, ok := src.FunctionBody(m[1] - 1); ok {
			return cb, true
		}
	}
	return Callback{}, false
}

var returnType = regexp.MustCompile(`^:\s*[\w.<>?\[\]]+\s*`)

// FunctionBody reads the body after a definition's parameter list at
// open: "{ … }", "=> expr" (Dart), "= expr" (Kotlin), with an optional
// Kotlin return type or Java throws clause before it.
func (src *SourceFile) FunctionBody(open int) (Callback, bool) {
	s := src.Skeleton
	end := src.Close(open)
	if end < 0 {
		return Callback{}, false
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
		return Callback{Body: [2]int{k, exprEnd(s, k)}}, true
	case strings.HasPrefix(s[j:], "=") && !strings.HasPrefix(s[j:], "=="):
		k := skipSpace(s, j+1)
		return Callback{Body: [2]int{k, exprEnd(s, k)}}, true
	case j < len(s) && s[j] == '{':
		return src.blockAt(j, false)
	}
	return Callback{}, false
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

// Truth is what a boolean callback can return.
type Truth int

// Truths of a boolean callback.
const (
	NeverTrue     Truth = iota // returns only false (or nothing)
	SometimesTrue              // returns true on some path, or a computed value
	AlwaysTrue                 // returns only true
)

var returnStmt = regexp.MustCompile(`\breturn\b([^;\n}]*)`)

// Returns lists the values the callback returns, as written (from Code),
// spaces collapsed.
func (cb Callback) Returns(src *SourceFile) []string {
	body := src.Skeleton[cb.Body[0]:cb.Body[1]]
	code := src.Code[cb.Body[0]:cb.Body[1]]
	if !cb.Block {
		return []string{collapse(code)}
	}
	var out []string
	for _, m := range returnStmt.FindAllStringSubmatchIndex(body, -1) {
		if v := collapse(code[m[2]:m[3]]); v != "" {
			out = append(out, v)
		}
	}
	if cb.Closure {
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

// Accepts judges a boolean callback from its return values.
func (cb Callback) Accepts(src *SourceFile) (Truth, []string) {
	values := cb.Returns(src)
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
		return AlwaysTrue, values
	case seenTrue || seenOther:
		return SometimesTrue, values
	}
	return NeverTrue, values
}

// Text is the callback's body as written.
func (cb Callback) Text(src *SourceFile) string {
	return src.Code[cb.Body[0]:cb.Body[1]]
}

// Skeleton is the callback's body with strings blanked.
func (cb Callback) Skeleton(src *SourceFile) string {
	return src.Skeleton[cb.Body[0]:cb.Body[1]]
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}
