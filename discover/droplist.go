package discover

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/hostname"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// A DropGroup is a documented part of the default drop list.
type DropGroup struct {
	Why   string
	Hosts []string
}

// DefaultDrops are names apps write that are not API hosts: reserved and
// example names, addresses that are not on the internet, XML namespaces,
// documentation and licence links, package registries, placeholders.
// `tlsaudit discover --list-drops` prints them; --drop, --keep and a
// .tlsaudit-drop file at the tree's root extend and override them.
//
// Pattern forms: "name" is that host only; "*.name" is name and every
// host under it; an address or CIDR prefix ("10.0.0.0/8") is those
// addresses.
var DefaultDrops = []DropGroup{
	{"reserved, special-use and example names (RFC 2606, RFC 6761, RFC 6762, RFC 8375)", []string{
		"localhost", "*.localhost", "*.test", "*.example", "*.invalid", "*.local", "*.home.arpa",
		"*.example.com", "*.example.net", "*.example.org", "*.example.edu",
	}},
	{"loopback, private, link-local, shared and documentation addresses (the Android emulator's 10.0.2.2 included)", []string{
		"0.0.0.0/8", "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10",
		"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",
		"::/128", "::1/128", "fc00::/7", "fe80::/10", "2001:db8::/32",
	}},
	{"XML namespaces, schemas and DTDs", []string{
		"schemas.android.com", "*.w3.org", "*.xmlsoap.org", "*.openxmlformats.org", "schemas.microsoft.com",
		"ns.adobe.com", "purl.org", "*.purl.org", "json-schema.org", "*.schema.org", "schema.org", "xmlns.jcp.org",
		"java.sun.com", "xml.apache.org", "*.xmlpull.org", "www.apple.com", "schemas.xmlsoap.org",
	}},
	{"documentation, specifications, licences and support sites", []string{
		"*.apache.org", "*.opensource.org", "*.gnu.org", "*.creativecommons.org", "spdx.org", "*.spdx.org",
		"*.mozilla.org", "*.ietf.org", "*.rfc-editor.org", "*.owasp.org", "cwe.mitre.org", "*.wikipedia.org",
		"*.android.com", "developer.apple.com", "help.apple.com", "support.apple.com", "docs.swift.org", "*.swift.org",
		"dart.dev", "*.dart.dev", "*.dartlang.org", "flutter.dev", "*.flutter.dev", "docs.flutter.io", "kotlinlang.org",
		"*.kotlinlang.org", "nodejs.org", "*.nodejs.org", "*.reactnative.dev", "reactnative.dev", "*.reactjs.org",
		"react.dev", "*.stackoverflow.com", "*.stackexchange.com", "*.readthedocs.io", "go.dev", "pkg.go.dev",
		"golang.org", "*.golang.org", "developers.google.com", "firebase.google.com", "cloud.google.com", "docs.oracle.com",
		"learn.microsoft.com", "docs.microsoft.com", "semver.org", "*.semver.org", "*.shields.io", "issuetracker.google.com",
		"*.iana.org", "*.icann.org", "unicode.org", "*.unicode.org", "*.whatwg.org", "*.cppreference.com",
		"*.oasis-open.org", "godoc.org", "groups.google.com", "cabforum.org", "*.cabforum.org", "*.schemastore.org",
		"publicsuffix.org", "*.publicsuffix.org",
	}},
	{"package registries, build tooling and source hosting", []string{
		"github.com", "www.github.com", "gist.github.com", "gitlab.com", "www.gitlab.com", "bitbucket.org",
		"*.npmjs.com", "*.npmjs.org", "*.yarnpkg.com", "pub.dev", "pub.dartlang.org", "*.cocoapods.org",
		"*.gradle.org", "plugins.gradle.org", "services.gradle.org", "maven.google.com", "dl.google.com",
		"jitpack.io", "*.maven.org", "*.maven.apache.org", "jcenter.bintray.com", "*.jfrog.io",
		"*.gradle-enterprise.cloud", "*.pythonhosted.org", "*.pypi.org", "proxy.golang.org", "sum.golang.org",
		"*.googlesource.com",
	}},
	{"placeholders", []string{
		"yourdomain.com", "your-domain.com", "mydomain.com", "domain.com", "yoursite.com", "yourserver.com",
		"your-api.com", "yourapi.com", "api.yourdomain.com", "foo.com", "bar.com", "foo.bar", "host.com", "server.com",
	}},
}

// hostMatcher holds drop or keep patterns.
type hostMatcher struct {
	exact    map[string]string // name → reason
	suffixes map[string]string // name for "*.name" → reason
	prefixes []reasonedPrefix
}

type reasonedPrefix struct {
	p      netip.Prefix
	reason string
}

func newHostMatcher() *hostMatcher {
	return &hostMatcher{exact: map[string]string{}, suffixes: map[string]string{}}
}

// add adds one pattern; reason is reported for hosts it matches.
func (m *hostMatcher) add(pattern, reason string) error {
	p := hostname.Fold(pattern)
	if p == "" {
		return fmt.Errorf("empty host pattern")
	}
	if strings.Contains(p, "/") {
		pre, err := netip.ParsePrefix(p)
		if err != nil {
			why := ""
			if len(pattern) <= textsafe.ExcerptBytes { // netip's error quotes it whole
				why = ": " + err.Error()
			}
			return fmt.Errorf("%s is not a CIDR prefix%s", textsafe.Quote(pattern, textsafe.ExcerptBytes), why)
		}
		m.prefixes = append(m.prefixes, reasonedPrefix{pre.Masked(), reason})
		return nil
	}
	if a, err := netip.ParseAddr(p); err == nil {
		m.prefixes = append(m.prefixes, reasonedPrefix{netip.PrefixFrom(a, a.BitLen()), reason})
		return nil
	}
	name, wild := strings.CutPrefix(p, "*.")
	if !validHostName(name, false) {
		return fmt.Errorf("%s is not a host name, *.domain, address or CIDR prefix", textsafe.Quote(pattern, textsafe.ExcerptBytes))
	}
	if wild {
		m.suffixes[name] = reason
	} else {
		m.exact[name] = reason
	}
	return nil
}

// match returns the reason of the most specific pattern that covers host
// and how specific it is (an exact name beats any *.domain, a longer
// domain or prefix a shorter one), or "" and 0.
func (m *hostMatcher) match(host string) (string, int) {
	if a, err := netip.ParseAddr(host); err == nil {
		a = a.Unmap()
		reason, best := "", 0
		for _, p := range m.prefixes {
			if p.p.Contains(a) && p.p.Bits()+1 > best {
				reason, best = p.reason, p.p.Bits()+1
			}
		}
		return reason, best
	}
	if r, ok := m.exact[host]; ok {
		return r, 1000
	}
	for name := host; name != ""; {
		if r, ok := m.suffixes[name]; ok {
			return r, len(name)
		}
		_, rest, found := strings.Cut(name, ".")
		if !found {
			break
		}
		name = rest
	}
	return "", 0
}

// hostFilter decides which discovered hosts are kept: the most specific
// pattern that covers a host decides, and a keep wins a tie, so
// "--keep '*.test' --drop old.test" keeps every .test name but one.
type hostFilter struct {
	drop, keep *hostMatcher
}

func newHostFilter() *hostFilter {
	f := &hostFilter{drop: newHostMatcher(), keep: newHostMatcher()}
	for _, g := range DefaultDrops {
		for _, h := range g.Hosts {
			_ = f.drop.add(h, g.Why) // TestDefaultDropsParse proves every default parses

		}
	}
	return f
}

// dropped returns why host is dropped, or "" when it is kept.
func (f *hostFilter) dropped(host string) string {
	keep, ks := f.keep.match(host)
	drop, ds := f.drop.match(host)
	if keep != "" && ks >= ds {
		return ""
	}
	return drop
}

// readDropFile adds a drop file's patterns: one per line, "!pattern" to
// keep, # comments. name is used in errors, which quote at most a short
// excerpt of a line: a file given by mistake may hold anything.
func (f *hostFilter) readDropFile(data []byte, name string) error {
	shown := textsafe.Escape(name)
	if bytes.IndexByte(data, 0) >= 0 {
		return fmt.Errorf("%s: holds NUL bytes, so it is no drop file (one host pattern per line)", shown)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	n := 0
	for sc.Scan() {
		n++
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var err error
		if keep, ok := strings.CutPrefix(line, "!"); ok {
			err = f.keep.add(keep, "kept by "+name)
		} else {
			err = f.drop.add(line, "dropped by "+name)
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %v", shown, n, err)
		}
	}
	return sc.Err()
}

// CheckDefaultDrops reports a default pattern that does not parse.
func CheckDefaultDrops() error {
	m := newHostMatcher()
	for _, g := range DefaultDrops {
		for _, h := range g.Hosts {
			if err := m.add(h, g.Why); err != nil {
				return fmt.Errorf("%s: %v", g.Why, err)
			}
		}
	}
	return nil
}
