package checks

import (
	"regexp"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// CodeTLSVerificationDisabled finds code that accepts server certificates
// without verifying them: the habit of "making it work" against a staging
// server that ships to production and lets anyone on the network read and
// change the app's traffic.
var CodeTLSVerificationDisabled = &scanner.Check{
	ID:       "code-tls-verification-disabled",
	Title:    "App code accepts certificates that fail verification",
	Severity: scanner.High,
	Description: "The app's code turns certificate verification off, or accepts a certificate " +
		"after verification failed: a Dart badCertificateCallback or onBadCertificate that can " +
		"return true, an Android X509TrustManager whose checkServerTrusted never throws, a WebView " +
		"that proceeds on SSL errors, an iOS URLSession delegate that trusts the server's " +
		"certificate without evaluating it, Node's rejectUnauthorized: false or " +
		"NODE_TLS_REJECT_UNAUTHORIZED=0, Go's InsecureSkipVerify, or a config file's " +
		"insecure_skip_verify. Anyone on the network path (public Wi-Fi, a hostile proxy) can then " +
		"impersonate the server and read or change every request, credentials included.",
	Remediation: "Delete the override and let the platform verify certificates. For a private " +
		"or self-signed server, trust exactly its CA (a Dart SecurityContext with that " +
		"certificate, an Android network security config <trust-anchors>, an iOS pinned " +
		"certificate) instead of trusting everything; keep debug-only overrides out of release " +
		"builds (Android <debug-overrides>).",
	References: []string{
		refMASVSNetwork,
		refMASTGNetwork,
		"https://api.flutter.dev/flutter/dart-io/HttpClient/badCertificateCallback.html",
		"https://developer.android.com/privacy-and-security/risks/unsafe-trustmanager",
		"https://developer.apple.com/documentation/foundation/url_loading_system/handling_an_authentication_challenge/performing_manual_server_trust_authentication",
		"https://nodejs.org/api/tls.html#tlsconnectoptions-callback",
	},
	CWE:   295,
	Needs: scanner.NeedSource,
	Run:   runCodeTLSVerification,
}

func runCodeTLSVerification(p *scanner.Pass) error {
	src := source(p)
	switch src.Lang {
	case "dart":
		dartBadCertificate(p, src)
	case "kotlin", "java":
		trustAllManagers(p, src)
		webViewProceeds(p, src)
	case "swift":
		swiftTrustChallenge(p, src)
	case "objc":
		objcTrustChallenge(p, src)
	case "js":
		jsRejectUnauthorized(p, src)
	case "go":
		goInsecureSkipVerify(p, src)
	case "yaml", "json", "env", "properties", "xcconfig":
		configVerificationOff(p, src)
	}
	return nil
}

var (
	dartBadCert = regexp.MustCompile(`\b(badCertificateCallback|onBadCertificate)\s*(?:=|:)`)
	// certInspection marks a callback that compares the certificate
	// (its DER, PEM or a fingerprint): pinning by callback, not trust-all.
	certInspection = regexp.MustCompile(`\.(?:der|pem|sha1|sha256)\b|[Ff]ingerprint|sha256\s*\.\s*convert|sha1\s*\.\s*convert`)
)

// dartBadCertificate: HttpClient.badCertificateCallback and
// SecureSocket.connect(onBadCertificate:) run only when verification
// failed; returning true accepts the failed certificate.
func dartBadCertificate(p *scanner.Pass, src *appcode.SourceFile) {
	for _, m := range findAll(dartBadCert, src.Skeleton, "adCertificate") {
		if m[1] < len(src.Skeleton) && src.Skeleton[m[1]] == '=' { // == is a comparison
			continue
		}
		cb, ok := src.CallbackAt(m[1])
		if !ok {
			continue
		}
		acc, values := cb.Accepts(src)
		if acc == appcode.NeverTrue || certInspection.MatchString(cb.Text(src)) {
			continue
		}
		name := src.Skeleton[m[2]:m[3]]
		if acc == appcode.AlwaysTrue {
			reportAt(p, m[2], nil, "%s returns true: every certificate that fails verification is accepted", name)
			continue
		}
		if slices.Contains(values, "true") {
			reportAt(p, m[2], nil, "%s can return true: certificates that fail verification are accepted on that path", name)
			continue
		}
		reportAt(p, m[2], nil, "%s returns %s: certificates that fail verification are accepted whenever it is true", name, quoteExpr(strings.Join(values, " / ")))
	}
}

var (
	checkServerTrusted = regexp.MustCompile(`\b(?:fun|void)\s+checkServerTrusted\s*\(`)
	// A trust manager that throws, or delegates to another trust
	// manager, verifies.
	trustManagerVerifies = regexp.MustCompile(`\bthrow\b|\bcheckServerTrusted\s*\(`)
	trustAllStrategy     = regexp.MustCompile(`\b(?:TrustAllStrategy|TrustSelfSignedStrategy)\b`)
	onReceivedSslError   = regexp.MustCompile(`\b(?:fun|void)\s+onReceivedSslError\s*\(`)
	proceedCall          = regexp.MustCompile(`\bproceed\s*\(`)
)

// trustAllManagers: an X509TrustManager whose checkServerTrusted returns
// without throwing accepts every chain.
func trustAllManagers(p *scanner.Pass, src *appcode.SourceFile) {
	for _, m := range findAll(checkServerTrusted, src.Skeleton, "checkServerTrusted") {
		cb, ok := src.FunctionBody(m[1] - 1)
		if !ok || trustManagerVerifies.MatchString(cb.Skeleton(src)) {
			continue
		}
		reportAt(p, m[1]-len("checkServerTrusted("), nil, "checkServerTrusted never throws: this X509TrustManager accepts every certificate")
	}
	for _, m := range findAll(trustAllStrategy, src.Skeleton, "Strategy") {
		reportAt(p, m[0], nil, "%s trusts certificates without verifying who issued them", src.Skeleton[m[0]:m[1]])
	}
}

// webViewProceeds: a WebViewClient whose onReceivedSslError calls
// handler.proceed() loads pages whose certificate failed verification.
func webViewProceeds(p *scanner.Pass, src *appcode.SourceFile) {
	for _, m := range findAll(onReceivedSslError, src.Skeleton, "onReceivedSslError") {
		cb, ok := src.FunctionBody(m[1] - 1)
		if !ok || !proceedCall.MatchString(cb.Skeleton(src)) {
			continue
		}
		reportAt(p, m[1]-len("onReceivedSslError("), nil, "onReceivedSslError calls proceed(): the WebView loads pages whose certificate failed verification")
	}
}

var (
	swiftChallengeFunc = regexp.MustCompile(`\bfunc\s+(?:urlSession|webView)\s*\(`)
	objcChallengeFunc  = regexp.MustCompile(`-\s*\(\s*void\s*\)\s*(?:URLSession|connection|webView)\b[^{;]*?\bdidReceive(?:Authentication)?Challenge\b[^{;]*\{`)
	// Evaluating the trust (or comparing its certificates or keys, which
	// is pinning) before using it is what a delegate must do.
	trustEvaluated   = regexp.MustCompile(`\bSecTrustEvaluate\w*\s*\(|\bSecTrustCopyKey\b|\bSecTrustCopyCertificateChain\b|\bSecTrustGetCertificateAtIndex\b|\bSecCertificateCopyData\b|\bSecTrustCopyPublicKey\b|\.evaluate\s*\(`)
	swiftUsesTrust   = regexp.MustCompile(`\bURLCredential\s*\(\s*trust\s*:`)
	objcUsesTrust    = regexp.MustCompile(`\bcredentialForTrust\s*:|\binitWithTrust\s*:`)
	swiftDisabledEvl = regexp.MustCompile(`\b(?:DisabledTrustEvaluator|DisabledEvaluator)\s*\(`)
	objcAllowInvalid = regexp.MustCompile(`\ballowInvalidCertificates\s*=\s*(?:YES|true)\b|\bsetAllowsAnyHTTPSCertificate\s*:`)
)

// swiftTrustChallenge: a URLSession (or WKWebView) delegate that answers a
// server-trust challenge with URLCredential(trust:) without evaluating the
// trust accepts any certificate.
func swiftTrustChallenge(p *scanner.Pass, src *appcode.SourceFile) {
	s := src.Skeleton
	for _, m := range findAll(swiftChallengeFunc, s, "URLAuthenticationChallenge") {
		open := m[1] - 1
		end := src.Close(open)
		if end < 0 || !strings.Contains(s[open:end], "didReceive") || !strings.Contains(s[open:end], "URLAuthenticationChallenge") {
			continue
		}
		brace := strings.IndexByte(s[end:], '{')
		if brace < 0 {
			continue
		}
		cb, ok := src.BlockAt(end + brace)
		if !ok {
			continue
		}
		body := cb.Skeleton(src)
		if swiftUsesTrust.MatchString(body) && !trustEvaluated.MatchString(body) {
			reportAt(p, m[0], nil, "the authentication-challenge delegate answers with URLCredential(trust:) without evaluating the trust: any server certificate is accepted")
		}
	}
	for _, m := range findAll(swiftDisabledEvl, s, "Disabled") {
		reportAt(p, m[0], nil, "%s turns certificate verification off for its hosts", strings.TrimRight(s[m[0]:m[1]], " ("))
	}
}

func objcTrustChallenge(p *scanner.Pass, src *appcode.SourceFile) {
	s := src.Skeleton
	for _, m := range findAll(objcChallengeFunc, s, "Challenge") {
		cb, ok := src.BlockAt(m[1] - 1)
		if !ok {
			continue
		}
		body := cb.Skeleton(src)
		if objcUsesTrust.MatchString(body) && !trustEvaluated.MatchString(body) {
			reportAt(p, m[0], nil, "the authentication-challenge delegate answers with credentialForTrust: without evaluating the trust: any server certificate is accepted")
		}
	}
	for _, m := range findAll(objcAllowInvalid, s, "llowInvalidCertificates", "setAllowsAnyHTTPSCertificate") {
		reportAt(p, m[0], nil, "%s accepts certificates that fail verification", strings.TrimRight(strings.Fields(s[m[0]:m[1]])[0], ":"))
	}
}

var (
	jsRejectFalse  = regexp.MustCompile(`\b(rejectUnauthorized|strictSSL)\s*:\s*false\b`)
	nodeTLSReject  = regexp.MustCompile(`\bNODE_TLS_REJECT_UNAUTHORIZED\b['"\]]*\s*=\s*['"]?0\b`)
	goInsecureSkip = regexp.MustCompile(`\bInsecureSkipVerify\s*[:=]\s*true\b`)
)

func jsRejectUnauthorized(p *scanner.Pass, src *appcode.SourceFile) {
	for _, m := range findAll(jsRejectFalse, src.Skeleton, "rejectUnauthorized", "strictSSL") {
		reportAt(p, m[0], nil, "%s: false turns certificate verification off for this connection", src.Skeleton[m[2]:m[3]])
	}
	// Code, not the skeleton: process.env["NODE_TLS_REJECT_UNAUTHORIZED"]
	// names it in a string.
	for _, m := range findAll(nodeTLSReject, src.Code, "NODE_TLS_REJECT_UNAUTHORIZED") {
		reportAt(p, m[0], nil, "NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate verification off for the whole process")
	}
}

// goInsecureSkipVerify: InsecureSkipVerify without a VerifyPeerCertificate
// or VerifyConnection of its own verifies nothing.
func goInsecureSkipVerify(p *scanner.Pass, src *appcode.SourceFile) {
	if !strings.Contains(src.Skeleton, "InsecureSkipVerify") ||
		strings.Contains(src.Skeleton, "VerifyPeerCertificate") || strings.Contains(src.Skeleton, "VerifyConnection") {
		return
	}
	for _, m := range findAll(goInsecureSkip, src.Skeleton, "InsecureSkipVerify") {
		reportAt(p, m[0], nil, "InsecureSkipVerify: true accepts any certificate for any name")
	}
}

var configTLSKey = regexp.MustCompile(`(?i)["']?\b(insecure[_-]?skip[_-]?verify|tls[_-]?skip[_-]?verify|skip[_-]?tls[_-]?verify|verify[_-]?ssl|ssl[_-]?verify|verify[_-]?tls|tls[_-]?verify|ssl[_-]?verification|reject[_-]?unauthorized|node_tls_reject_unauthorized|strict[_-]?ssl)\b["']?[ \t]*[:=][ \t]*["']?(true|false|yes|no|on|off|0|1)\b`)

// configVerificationOff finds configuration keys that turn verification
// off: a skip/insecure key set to true, or a verify/reject key set to
// false.
func configVerificationOff(p *scanner.Pass, src *appcode.SourceFile) {
	for _, m := range findAll(configTLSKey, src.Code, "erify", "ERIFY", "eject", "EJECT", "ssl", "SSL", "Ssl") {
		key := src.Code[m[2]:m[3]]
		value := strings.ToLower(src.Code[m[4]:m[5]])
		skipKey := strings.Contains(strings.ToLower(key), "skip")
		on := value == "true" || value == "yes" || value == "on" || value == "1"
		if skipKey != on {
			continue
		}
		reportAt(p, m[2], nil, "%s set to %s turns certificate verification off", key, value)
	}
}
