package discover

import (
	"regexp"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/targets"
)

// A constant is a string constant defined in source: name = "value".
type constant struct {
	value  string
	offset int // of the value's first byte
	file   *appcode.SourceFile
}

var (
	// assignConst finds name = "value" (with an optional type annotation,
	// and Objective-C's @"…").
	assignConst = regexp.MustCompile(`\b([A-Za-z_$][\w$]*)\s*(?::\s*[\w.<>?\[\]]+\s*)?=\s*@?(?:'([^'\n]*)'|"([^"\n]*)")`)
	// keyedConst finds key: "value" (object literals, named arguments).
	keyedConst = regexp.MustCompile(`['"]?\b([A-Za-z_$][\w$.\-]*)['"]?\s*:\s*@?(?:'([^'\n]*)'|"([^"\n]*)")`)

	// Config files: KEY=value, key: value, "key": "value", plist pairs.
	envPair   = regexp.MustCompile(`(?m)^[ \t]*(?:export[ \t]+)?([\w.\-]+)[ \t]*[=:][ \t]*['"]?([^\s'"]+)`)
	yamlPair  = regexp.MustCompile(`(?m)^[ \t]*(?:-[ \t]+)?([\w.\-]+)[ \t]*:[ \t]+['"]?([^\s'"]+)`)
	jsonPair  = regexp.MustCompile(`"([\w.\-]+)"\s*:\s*"([^"\\]+)"`)
	plistPair = regexp.MustCompile(`<key>\s*([^<\s]+)\s*</key>\s*<string>\s*([^<\s]+)\s*</string>`)

	// Dart: Uri.https('host', '/path'), Uri.http(…), Uri(scheme: …, host: …).
	dartUriFactory = regexp.MustCompile(`\bUri\s*\.\s*(https|http)\s*\(`)
	dartUriCtor    = regexp.MustCompile(`\bUri\s*\(`)
	namedScheme    = regexp.MustCompile(`\bscheme\s*:\s*['"](https?)['"]`)
	namedHost      = regexp.MustCompile(`\bhost\s*:\s*`)
	namedPort      = regexp.MustCompile(`\bport\s*:\s*(\d+)`)
)

// constants returns the file's string constants by name. Later
// definitions of a name do not replace earlier ones: the first is usually
// the declaration, later ones reassignments in code.
func constants(src *appcode.SourceFile) map[string]constant {
	out := map[string]constant{}
	hasQuote := func(line string) bool { return strings.ContainsAny(line, `'"`) }
	for _, re := range []*regexp.Regexp{assignConst, keyedConst} {
		for _, m := range matchLines(re, src.Code, hasQuote) {
			name := src.Code[m[2]:m[3]]
			start, end := m[4], m[5]
			if start < 0 {
				start, end = m[6], m[7]
			}
			if _, seen := out[name]; !seen {
				out[name] = constant{value: src.Code[start:end], offset: start, file: src}
			}
		}
	}
	return out
}

// matchLines runs re over each line of text that keep accepts (given the
// line lowercased), returning matches as offsets into text. Testing a
// cheap condition first keeps the regular expressions off the many lines
// that cannot match, which is most of the cost of reading a tree.
func matchLines(re *regexp.Regexp, text string, keep func(lower string) bool) [][]int {
	var out [][]int
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := text[start:end]
		if keep(strings.ToLower(line)) {
			for _, m := range re.FindAllStringSubmatchIndex(line, -1) {
				for i := range m {
					if m[i] >= 0 {
						m[i] += start
					}
				}
				out = append(out, m)
			}
		}
		start = end + 1
	}
	return out
}

// mentionsHost is the cheap test before looking for host-name keys.
func mentionsHost(lower string) bool {
	return strings.Contains(lower, "host") || strings.Contains(lower, "domain") ||
		strings.Contains(lower, "url") || strings.Contains(lower, "endpoint")
}

// found is a host named in a file, before the drop list.
type found struct {
	scheme string
	// protocol is what a URL of another protocol names (smtp://,
	// postgres://, mqtts://); empty for http:// and https://.
	protocol scanner.Protocol
	host     string
	port     int
	offset   int
	form     string
	file     *appcode.SourceFile // where the host is written (a constant may live elsewhere)
}

// findURLs finds http:// and https:// URLs with a literal host, also as
// JSON writes them ("https:\/\/") and as xcconfig files must
// ("https:/$()/", since "//" starts a comment there). It looks for the
// separators with strings.Index and checks the scheme before each: a
// regular expression over every byte of a tree costs ten times more.
func findURLs(src *appcode.SourceFile) []found {
	var out []found
	code := src.Code
	for _, sep := range []string{"://", `:\/\/`, ":/$()/"} {
		for i := 0; ; {
			j := strings.Index(code[i:], sep)
			if j < 0 {
				break
			}
			colon := i + j
			i = colon + len(sep)
			scheme := ""
			for _, s := range []string{"https", "http"} {
				if colon >= len(s) && strings.EqualFold(code[colon-len(s):colon], s) && (colon == len(s) || !appcode.IsIdentByte(code[colon-len(s)-1])) {
					scheme = s
					break
				}
			}
			proto := scanner.Protocol("")
			if scheme == "" {
				if proto = protocolScheme(code[:colon]); proto == "" {
					continue
				}
				scheme = string(proto)
			}
			host, port, ok := parseAuthority(code[i:], false)
			if !ok || (!isIP(host) && !validHostName(host, true)) {
				continue
			}
			out = append(out, found{scheme: scheme, protocol: proto, host: host, port: port, offset: i, form: "url", file: src})
		}
	}
	slices.SortFunc(out, func(a, b found) int { return a.offset - b.offset })
	return out
}

// findConstantHosts finds host names in constants and config keys whose
// names say they are API hosts (apiHost, API_BASE_URL, backend.domain):
// bare names, without a scheme, that the URL search cannot see.
func findConstantHosts(src *appcode.SourceFile) []found {
	var pairs [][]int
	switch src.Lang {
	case "env", "properties", "xcconfig":
		pairs = matchLines(envPair, src.Code, mentionsHost)
	case "yaml":
		pairs = matchLines(yamlPair, src.Code, mentionsHost)
	case "json":
		pairs = matchLines(jsonPair, src.Code, mentionsHost)
	case "plist":
		// A plist's key and value sit on separate lines.
		if mentionsHost(strings.ToLower(src.Code)) {
			pairs = plistPair.FindAllStringSubmatchIndex(src.Code, -1)
		}
	case "xml":
		return nil
	default:
		for _, re := range []*regexp.Regexp{assignConst, keyedConst} {
			for _, m := range matchLines(re, src.Code, mentionsHost) {
				if m[4] < 0 {
					m[4], m[5] = m[6], m[7]
				}
				pairs = append(pairs, m[:6])
			}
		}
	}
	var out []found
	for _, m := range pairs {
		name, value := src.Code[m[2]:m[3]], src.Code[m[4]:m[5]]
		if !hostishName(name) || strings.Contains(value, "://") {
			continue
		}
		host, port, ok := splitHostPort(value, true)
		if !ok || isIP(host) {
			continue
		}
		out = append(out, found{scheme: "https", host: host, port: port, offset: m[4], form: "constant", file: src})
	}
	return out
}

// findDartURIs finds Dart's Uri.https(authority, path), Uri.http(…) and
// Uri(scheme: …, host: …, port: …), whose host is a literal or a string
// constant (of this file, else of any Dart file: lookup). uses collects
// the hosts reached through constants defined in other files.
func findDartURIs(src *appcode.SourceFile, lookup func(name string) (constant, bool)) (out []found) {
	if !strings.Contains(src.Skeleton, "Uri") {
		return nil
	}
	for _, m := range dartUriFactory.FindAllStringSubmatchIndex(src.Skeleton, -1) {
		scheme := src.Skeleton[m[2]:m[3]]
		if f, ok := dartHostArg(src, m[1], lookup); ok {
			f.scheme, f.form = scheme, "Uri."+scheme
			out = append(out, f)
		}
	}
	for _, m := range dartUriCtor.FindAllStringIndex(src.Skeleton, -1) {
		open := m[1] - 1
		closing := src.Close(open)
		if closing < 0 {
			continue
		}
		args := src.Code[open:closing]
		sm := namedScheme.FindStringSubmatch(args)
		hm := namedHost.FindStringIndex(args)
		if sm == nil || hm == nil {
			continue
		}
		f, ok := dartHostArg(src, open+hm[1], lookup)
		if !ok {
			continue
		}
		if pm := namedPort.FindStringSubmatch(args); pm != nil && f.port == 0 {
			port, err := targets.ParsePort(pm[1])
			if err != nil {
				continue // Uri() throws on it: no host the app can reach
			}
			f.port = port
		}
		f.scheme, f.form = sm[1], "Uri()"
		out = append(out, f)
	}
	return out
}

// dartHostArg reads the argument at i: a string literal holding a host
// (or host:port), or an identifier (possibly Qualified.name) naming a
// string constant that does.
func dartHostArg(src *appcode.SourceFile, i int, lookup func(string) (constant, bool)) (found, bool) {
	code := src.Code
	for i < len(code) && (code[i] == ' ' || code[i] == '\t' || code[i] == '\n' || code[i] == '\r') {
		i++
	}
	if i >= len(code) {
		return found{}, false
	}
	var value string
	var at int
	file := src
	switch c := code[i]; {
	case c == '\'' || c == '"':
		end := strings.IndexAny(code[i+1:], string(c)+"\n")
		if end < 0 {
			return found{}, false
		}
		value, at = code[i+1:i+1+end], i+1
		if name, ok := strings.CutPrefix(value, "$"); ok { // '$host' or '${host}'
			name = strings.TrimSuffix(strings.TrimPrefix(name, "{"), "}")
			k, ok := lookup(name)
			if !ok {
				return found{}, false
			}
			value, at, file = k.value, k.offset, k.file
		}
	case appcode.IsIdentByte(c):
		end := i
		for end < len(code) && (appcode.IsIdentByte(code[end]) || code[end] == '.') {
			end++
		}
		name := code[i:end]
		if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
			name = name[dot+1:]
		}
		k, ok := lookup(name)
		if !ok {
			return found{}, false
		}
		value, at, file = k.value, k.offset, k.file
	default:
		return found{}, false
	}
	host, port, ok := splitHostPort(value, true)
	if !ok && isIPLiteral(value) {
		host, port, ok = splitHostPort(value, false)
	}
	if !ok {
		return found{}, false
	}
	return found{host: host, port: port, offset: at, file: file}, true
}

func isIPLiteral(s string) bool {
	h, _, ok := splitHostPort(s, false)
	return ok && isIP(h)
}

// protocolScheme is the protocol of the URL scheme that ends before (the
// text up to "://"): smtp, postgres (also SQLAlchemy's
// "postgresql+psycopg2"), mqtts, ldap and the others scanner.SchemeProtocol
// knows, except ftp://, which apps use for plaintext downloads far more
// than for a service of theirs.
func protocolScheme(before string) scanner.Protocol {
	start := len(before)
	for start > 0 && start > len(before)-32 {
		c := before[start-1]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			break
		}
		start--
	}
	if start > 0 && appcode.IsIdentByte(before[start-1]) {
		return ""
	}
	scheme, _, _ := strings.Cut(before[start:], "+")
	if strings.EqualFold(scheme, "ftp") {
		return ""
	}
	p, _ := scanner.SchemeProtocol(scheme)
	return p
}
