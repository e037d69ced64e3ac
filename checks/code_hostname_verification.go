package checks

import (
	"regexp"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// CodeHostnameVerificationDisabled finds code that accepts a certificate
// issued for another name: a valid certificate for attacker.example then
// passes for the app's API host.
var CodeHostnameVerificationDisabled = &scanner.Check{
	ID:       "code-hostname-verification-disabled",
	Title:    "App code accepts certificates issued for other host names",
	Severity: scanner.High,
	Description: "The app's code replaces host name verification with one that accepts other " +
		"names: an Android/Java HostnameVerifier (or OkHttp hostnameVerifier) that returns true, " +
		"Apache's NoopHostnameVerifier or ALLOW_ALL_HOSTNAME_VERIFIER, or Node's " +
		"checkServerIdentity that reports no error. Any publicly trusted certificate, for any " +
		"domain an attacker controls, then passes for the app's server.",
	Remediation: "Remove the custom verifier and keep the platform's default host name " +
		"verification. If a server's certificate lacks the name clients use, fix the " +
		"certificate (add the name to its subject alternative names).",
	References: []string{
		refMASVSNetwork,
		"https://developer.android.com/privacy-and-security/risks/unsafe-hostname",
		"https://square.github.io/okhttp/features/https/",
		"https://nodejs.org/api/tls.html#tlscheckserveridentityhostname-cert",
	},
	CWE:   297,
	Needs: scanner.NeedSource,
	Run:   runCodeHostnameVerification,
}

var (
	allowAllVerifier = regexp.MustCompile(`\b(?:ALLOW_ALL_HOSTNAME_VERIFIER|AllowAllHostnameVerifier|NoopHostnameVerifier)\b`)
	// hostnameVerifier { … }, hostnameVerifier(…), setHostnameVerifier(…),
	// setDefaultHostnameVerifier(…), HostnameVerifier { … }.
	verifierUse = regexp.MustCompile(`\b(?:set(?:Default)?HostnameVerifier|hostnameVerifier|HostnameVerifier)\s*[({]`)
	// verify(hostname, SSLSession) defined in a class or object.
	verifyMethod     = regexp.MustCompile(`\b(?:fun|boolean)\s+verify\s*\(`)
	delegatesVerify  = regexp.MustCompile(`\.verify\s*\(`)
	checkServerIdent = regexp.MustCompile(`\bcheckServerIdentity\s*:`)
)

func runCodeHostnameVerification(p *scanner.Pass) error {
	src := source(p)
	switch src.Lang {
	case "kotlin", "java":
		javaHostnameVerifiers(p, src)
	case "js":
		jsCheckServerIdentity(p, src)
	}
	return nil
}

func javaHostnameVerifiers(p *scanner.Pass, src *appcode.SourceFile) {
	s := src.Skeleton
	for _, m := range findAll(allowAllVerifier, s, "HostnameVerifier", "HOSTNAME_VERIFIER") {
		reportAt(p, m[0], nil, "%s accepts a certificate for any host name", s[m[0]:m[1]])
	}
	reported := map[int]bool{}
	for _, m := range findAll(verifierUse, s, "ostnameVerifier") {
		// "class X : HostnameVerifier {", "object : HostnameVerifier {" and
		// "new HostnameVerifier() {" implement verify(), read below.
		before := strings.TrimRight(s[:m[0]], " \t\n\r")
		if strings.HasSuffix(before, ":") || strings.HasSuffix(before, "new") {
			continue
		}
		open := m[1] - 1
		var cb appcode.Callback
		var ok bool
		if s[open] == '{' {
			cb, ok = src.CallbackAt(open)
		} else {
			cb, ok = src.CallbackAt(open + 1)
		}
		if !ok || delegatesVerify.MatchString(cb.Skeleton(src)) {
			continue
		}
		if reportVerifier(p, src, cb, m[0], "the HostnameVerifier") {
			reported[cb.Body[0]] = true
		}
	}
	for _, m := range findAll(verifyMethod, s, "SSLSession") {
		open := m[1] - 1
		end := src.Close(open)
		if end < 0 || !strings.Contains(s[open:end], "SSLSession") {
			continue
		}
		cb, ok := src.FunctionBody(open)
		if !ok || reported[cb.Body[0]] || delegatesVerify.MatchString(cb.Skeleton(src)) {
			continue
		}
		reportVerifier(p, src, cb, m[1]-len("verify("), "HostnameVerifier.verify")
	}
}

func reportVerifier(p *scanner.Pass, src *appcode.SourceFile, cb appcode.Callback, at int, what string) bool {
	acc, values := cb.Accepts(src)
	switch acc {
	case appcode.AlwaysTrue:
		reportAt(p, at, nil, "%s returns true: a certificate for any host name is accepted", what)
	case appcode.SometimesTrue:
		if slices.Contains(values, "true") {
			reportAt(p, at, nil, "%s can return true instead of checking the certificate's names: certificates for other hosts are accepted on that path", what)
			break
		}
		reportAt(p, at, nil, "%s returns %s instead of checking the certificate's names: certificates for other hosts are accepted whenever it is true", what, quoteExpr(strings.Join(values, " / ")))
	default:
		return false
	}
	return true
}

// jsCheckServerIdentity: Node calls checkServerIdentity to verify the
// certificate's names; one that returns nothing (undefined) accepts any.
func jsCheckServerIdentity(p *scanner.Pass, src *appcode.SourceFile) {
	for _, m := range findAll(checkServerIdent, src.Skeleton, "checkServerIdentity") {
		cb, ok := src.CallbackAt(m[1])
		if !ok {
			continue
		}
		values := cb.Returns(src)
		accepts := len(values) == 0
		for _, v := range values {
			if v == "undefined" || v == "null" || v == "" || v == "{}" {
				accepts = true
			}
		}
		if !cb.Block && strings.TrimSpace(cb.Text(src)) == "" {
			accepts = true
		}
		if accepts {
			reportAt(p, m[0], nil, "checkServerIdentity returns no error: a certificate for any host name is accepted")
		}
	}
}
