package checks

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/scanner"
)

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
func source(p *scanner.Pass) *appcode.SourceFile { return p.Result.Source }

// reportAt reports a finding at an offset of the pass's file.
func reportAt(p *scanner.Pass, offset int, evidence map[string]string, format string, args ...any) {
	f := scanner.Finding{Location: source(p).Location(offset), Evidence: evidence}
	f.Message = fmt.Sprintf(format, args...)
	p.Report(f)
}

// quoteExpr shortens an expression for a message.
func quoteExpr(s string) string {
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return "`" + s + "`"
}
