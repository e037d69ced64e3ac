package checks

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// CodeCleartextURL reports http:// URLs to API hosts in the app's code and
// configuration: requests to them travel unencrypted.
var CodeCleartextURL = &scanner.Check{
	ID:       "code-cleartext-url",
	Title:    "App code calls an API host over plain HTTP",
	Severity: scanner.Medium,
	Description: "The app's code or configuration names an API host with an http:// URL (or " +
		"Dart's Uri.http): requests and responses, tokens included, cross the network " +
		"unencrypted and can be read and changed by anyone on the path. Hosts on the drop list " +
		"(localhost, private addresses, example domains, XML namespaces) are not reported.",
	Remediation: "Use https:// for the host. If it does not serve HTTPS yet, that is the fix " +
		"to make on the server; tlsaudit scan checks it once it does.",
	References: []string{
		refMASVSNetwork,
		"https://cwe.mitre.org/data/definitions/319.html",
	},
	CWE:   319,
	Needs: scanner.NeedSource,
	Run: func(p *scanner.Pass) error {
		src := source(p)
		for _, e := range src.Endpoints {
			if e.Scheme != "http" {
				continue
			}
			f := scanner.Finding{Location: e.At, Evidence: map[string]string{"host": e.Host}}
			if e.Form == "url" {
				f.Message = "http://" + hostPort(e) + " is called in cleartext"
			} else {
				f.Message = e.Form + " names " + hostPort(e) + ": requests to it go in cleartext"
			}
			p.Report(f)
		}
		return nil
	},
}

func hostPort(e appcode.SourceEndpoint) string {
	h := e.Host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if e.Port != 0 {
		return h + ":" + strconv.Itoa(e.Port)
	}
	return h
}

// CodeCleartextAllowed reports platform settings that switch the
// operating system's cleartext protection off.
var CodeCleartextAllowed = &scanner.Check{
	ID:       "code-cleartext-allowed",
	Title:    "App allows cleartext HTTP in its platform security settings",
	Severity: scanner.Medium,
	Description: "Android (since 9) and iOS (App Transport Security) refuse plain-HTTP " +
		"connections unless the app opts out. This app opts out: android:usesCleartextTraffic=\"true\" " +
		"in AndroidManifest.xml, cleartextTrafficPermitted=\"true\" in a network security config, " +
		"NSAllowsArbitraryLoads (or its web-content and media variants) or a domain's " +
		"NSExceptionAllowsInsecureHTTPLoads in Info.plist, or OkHttp's ConnectionSpec.CLEARTEXT. " +
		"Any http:// URL, including one injected by a redirect or a server response, is then " +
		"followed in cleartext.",
	Remediation: "Remove the opt-out. If one legacy host still needs HTTP, allow it alone (an " +
		"Android domain-config or an ATS exception for that domain) and plan its move to HTTPS.",
	References: []string{
		refMASVSNetwork,
		refAndroidNSC,
		"https://developer.android.com/guide/topics/manifest/application-element#usesCleartextTraffic",
		refAppleATS,
	},
	CWE:   319,
	Needs: scanner.NeedSource,
	Run:   runCodeCleartextAllowed,
}

var (
	usesCleartext      = regexp.MustCompile(`\busesCleartextTraffic\s*=\s*"true"`)
	cleartextPermitted = regexp.MustCompile(`\bcleartextTrafficPermitted\s*=\s*"true"`)
	nscDomain          = regexp.MustCompile(`<domain\b[^>]*>\s*([^<\s]+)\s*</domain>`)
	atsKeyTrue         = regexp.MustCompile(`<key>\s*(NSAllowsArbitraryLoads|NSAllowsArbitraryLoadsInWebContent|NSAllowsArbitraryLoadsForMedia|NSExceptionAllowsInsecureHTTPLoads|NSTemporaryExceptionAllowsInsecureHTTPLoads)\s*</key>\s*<true\s*/>`)
	plistDictKey       = regexp.MustCompile(`<key>\s*([^<]+?)\s*</key>\s*<dict>`)
	okHTTPCleartext    = regexp.MustCompile(`\bConnectionSpec\s*\.\s*CLEARTEXT\b`)
)

func runCodeCleartextAllowed(p *scanner.Pass) error {
	src := source(p)
	s := src.Code
	switch src.Lang {
	case "xml":
		for _, m := range findAll(usesCleartext, s, "usesCleartextTraffic") {
			reportAt(p, m[0], nil, "usesCleartextTraffic=\"true\" lets the app use plain HTTP with every host")
		}
		for _, m := range findAll(cleartextPermitted, s, "cleartextTrafficPermitted") {
			tagStart := strings.LastIndexByte(s[:m[0]], '<')
			switch {
			case tagStart >= 0 && strings.HasPrefix(s[tagStart:], "<domain-config"):
				end := strings.Index(s[m[0]:], "</domain-config>")
				if end < 0 {
					end = len(s) - m[0]
				}
				var domains []string
				for _, dm := range nscDomain.FindAllStringSubmatch(s[m[0]:m[0]+end], -1) {
					domains = append(domains, dm[1])
				}
				reportAt(p, m[0], map[string]string{"domains": strings.Join(domains, ",")},
					"cleartextTrafficPermitted=\"true\" lets the app use plain HTTP with %s", orList(domains, "the domains of this config"))
			default:
				reportAt(p, m[0], nil, "cleartextTrafficPermitted=\"true\" in the base config lets the app use plain HTTP with every host")
			}
		}
	case "plist":
		for _, m := range findAll(atsKeyTrue, s, "NSAllowsArbitraryLoads", "InsecureHTTPLoads") {
			key := s[m[2]:m[3]]
			switch {
			case strings.Contains(key, "Exception"):
				domain := "a domain"
				if dm := plistDictKey.FindAllStringSubmatch(s[:m[0]], -1); len(dm) > 0 {
					domain = dm[len(dm)-1][1]
				}
				reportAt(p, m[2], map[string]string{"domain": domain}, "%s lets the app use plain HTTP with %s", key, domain)
			case key == "NSAllowsArbitraryLoads":
				reportAt(p, m[2], nil, "NSAllowsArbitraryLoads turns App Transport Security off: plain HTTP (and weak TLS) is allowed with every host")
			default:
				reportAt(p, m[2], nil, "%s allows plain HTTP for web content or media", key)
			}
		}
	case "kotlin", "java":
		for _, m := range findAll(okHTTPCleartext, src.Skeleton, "CLEARTEXT") {
			reportAt(p, m[0], nil, "ConnectionSpec.CLEARTEXT lets this OkHttp client use plain HTTP")
		}
	}
	return nil
}

func orList(items []string, none string) string {
	if len(items) == 0 {
		return none
	}
	return strings.Join(items, ", ")
}
