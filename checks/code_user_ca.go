package checks

import (
	"regexp"
	"strings"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// CodeUserCATrusted reports an Android network security config that trusts
// CAs the user (or a device-management profile, or malware with the
// user's consent) installed, outside debug builds.
var CodeUserCATrusted = &scanner.Check{
	ID:       "code-user-ca-trusted",
	Title:    "App trusts user-installed certificate authorities",
	Severity: scanner.Medium,
	Description: "The app's network security config lists <certificates src=\"user\"/> among its " +
		"trust anchors outside <debug-overrides>. Since Android 7 apps do not trust CAs the user " +
		"installed, because installing one is how interception proxies and stalkerware read " +
		"traffic; this config brings that risk back in release builds.",
	Remediation: "Move <certificates src=\"user\"/> into <debug-overrides>, which applies only to " +
		"debuggable builds, so developers can still use an intercepting proxy.",
	References: []string{
		refAndroidNSC,
		"https://android-developers.googleblog.com/2016/07/changes-to-trusted-certificate.html",
		refMASTGNetwork,
	},
	CWE:   295,
	Needs: scanner.NeedSource,
	Run: func(p *scanner.Pass) error {
		src := source(p)
		if src.Lang != "xml" {
			return nil
		}
		s := src.Code
		for _, m := range findAll(userCertificates, s, "user") {
			if insideElement(s, m[0], "debug-overrides") {
				continue
			}
			reportAt(p, m[0], nil, "<certificates src=\"user\"/> outside <debug-overrides> makes release builds trust user-installed CAs")
		}
		return nil
	},
}

var userCertificates = regexp.MustCompile(`<certificates\b[^>]*\bsrc\s*=\s*"user"`)

// insideElement reports whether offset lies inside an open <name> element.
func insideElement(s string, offset int, name string) bool {
	open := strings.LastIndex(s[:offset], "<"+name)
	if open < 0 {
		return false
	}
	return !strings.Contains(s[open:offset], "</"+name)
}
