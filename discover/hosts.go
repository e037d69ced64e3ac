package discover

import (
	"net/netip"
	"strings"
	"unicode"

	"github.com/tlsaudit/tlsaudit/internal/hostname"
	"github.com/tlsaudit/tlsaudit/targets"
)

// validHostName reports whether name is a DNS host name as TLS clients
// use them: letters, digits and hyphens in dot-separated labels. With
// public set it must also look like an internet name: at least two labels
// and an alphabetic top-level label (or an xn-- one), which rules out
// file names ("config.json" is kept out by the TLD test only when it is
// not a real TLD, so callers also look at context).
func validHostName(name string, public bool) bool {
	if name == "" || len(name) > 253 {
		return false
	}
	labels := strings.Split(name, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	if !public {
		return true
	}
	if len(labels) < 2 {
		return false
	}
	tld := labels[len(labels)-1]
	if strings.HasPrefix(tld, "xn--") {
		return true
	}
	if len(tld) < 2 {
		return false
	}
	for _, c := range tld {
		if !unicode.IsLetter(c) {
			return false
		}
	}
	return !fileExtensionTLD[tld]
}

// fileExtensionTLD are top-level labels that, in source code, are far more
// often a file name's extension than a host's TLD ("main.dart",
// "index.js"); a real host under them is still found in a URL, where the
// scheme leaves no doubt.
var fileExtensionTLD = map[string]bool{
	"dart": true, "js": true, "ts": true, "json": true, "yaml": true, "yml": true, "xml": true, "html": true,
	"png": true, "jpg": true, "svg": true, "txt": true, "md": true, "kt": true, "java": true, "swift": true,
	"pem": true, "crt": true, "cer": true, "der": true, "plist": true, "properties": true, "gradle": true,
	"zip": true, "so": true, "py": true, "sh": true, "pdf": true, "css": true, "env": true, "lock": true,
}

// parseAuthority reads "[user@]host[:port]" (host may be a bracketed IPv6
// literal) from the start of s, as written after "scheme://". ok is false
// when the host is built at run time (interpolation, templates) or is not
// a host name or IP literal.
func parseAuthority(s string, public bool) (host string, port int, ok bool) {
	end := strings.IndexAny(s, "/?#'\"`<>(),;\\|^ \t\r\n]")
	if strings.HasPrefix(s, "[") {
		end = strings.IndexByte(s, ']')
		if end < 0 {
			return "", 0, false
		}
		rest := s[end+1:]
		stop := strings.IndexAny(rest, "/?#'\"`<>(),;\\|^ \t\r\n")
		if stop < 0 {
			stop = len(rest)
		}
		end += 1 + stop
	}
	if end < 0 {
		end = len(s)
	}
	auth := s[:end]
	if auth == "" || strings.ContainsAny(auth, "${}%*!~+=&") {
		return "", 0, false
	}
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		auth = auth[at+1:]
	}
	return splitHostPort(auth, public)
}

// splitHostPort reads "host", "host:port", "[v6]" or "[v6]:port".
func splitHostPort(auth string, public bool) (string, int, bool) {
	hostPart, portPart := auth, ""
	if strings.HasPrefix(auth, "[") {
		i := strings.IndexByte(auth, ']')
		if i < 0 {
			return "", 0, false
		}
		hostPart, portPart = auth[1:i], strings.TrimPrefix(auth[i+1:], ":")
		if a, err := netip.ParseAddr(hostPart); err != nil || a.Zone() != "" {
			return "", 0, false
		}
	} else if i := strings.LastIndexByte(auth, ':'); i >= 0 {
		hostPart, portPart = auth[:i], auth[i+1:]
	}
	port := 0
	if portPart != "" {
		p, err := targets.ParsePort(portPart)
		if err != nil {
			return "", 0, false
		}
		port = p
	}
	host := hostname.Fold(hostPart)
	if a, err := netip.ParseAddr(host); err == nil {
		return a.Unmap().String(), port, true
	}
	if !validHostName(host, public) {
		return "", 0, false
	}
	return host, port, true
}

// hostishName reports whether an identifier or config key names an API
// host or base URL: an API-ish word ("api", "base", "backend", "server",
// …) and, last, a host-ish word ("host", "domain", "url", "endpoint").
// DB_HOST and SMTP_HOST are not API hosts, and their TLS ports differ.
func hostishName(name string) bool {
	words := splitWords(name)
	if len(words) < 2 {
		return false
	}
	switch words[len(words)-1] {
	case "host", "hostname", "domain", "url", "endpoint", "baseurl":
	default:
		return false
	}
	for _, w := range words[:len(words)-1] {
		switch w {
		case "api", "base", "backend", "server", "service", "rest", "graphql", "gateway", "auth", "web", "app":
			return true
		}
	}
	return false
}

// splitWords splits camelCase, snake_case, kebab-case and dotted.names
// into lowercase words; a leading k (kApiHost) is dropped.
func splitWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == '.' || r == '$' || r == ' ':
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 && (unicode.IsLower(cur[len(cur)-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	if len(words) > 1 && words[0] == "k" {
		words = words[1:]
	}
	return words
}
