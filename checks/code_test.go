package checks_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// codeFindings runs every code check on one snippet and returns
// "line check" for each finding.
func codeFindings(t *testing.T, lang, text string) []string {
	t.Helper()
	src := appcode.NewSourceFile("snippet", lang, text)
	r := &scanner.Result{Target: &scanner.Target{SourceTree: "."}, Source: src}
	var out []string
	for _, c := range checks.All() {
		if c.Needs&scanner.NeedSource == 0 {
			continue
		}
		err := c.Run(scanner.NewPass(c, r, time.Now(), func(f scanner.Finding) {
			out = append(out, strings.TrimPrefix(f.Location.String(), "snippet:")+" "+f.CheckID)
		}))
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
	}
	return out
}

// TestCodePatterns holds the look-alikes that must not match next to the
// patterns that must, per language: the false-positive budget of the
// regex-level matching. Findings are "line:column check".
func TestCodePatterns(t *testing.T) {
	const tls, host, clear = "code-tls-verification-disabled", "code-hostname-verification-disabled", "code-cleartext-allowed"
	cases := []struct {
		name, lang, text string
		want             []string
	}{
		// Dart
		{"dart arrow true", "dart", "c.badCertificateCallback = (cert, host, port) => true;", []string{"1:3 " + tls}},
		{"dart arrow false", "dart", "c.badCertificateCallback = (cert, host, port) => false;", nil},
		{"dart block true", "dart", "c.badCertificateCallback = (cert, host, port) {\n  return true;\n};", []string{"1:3 " + tls}},
		{"dart multi-line arrow", "dart", "c.badCertificateCallback =\n    (X509Certificate cert, String host, int port) =>\n        true;", []string{"1:3 " + tls}},
		{"dart parenthesized", "dart", "HttpClient()..badCertificateCallback = ((c, h, p) => true);", []string{"1:15 " + tls}},
		{"dart comment", "dart", "// c.badCertificateCallback = (c, h, p) => true;\n/* c.badCertificateCallback = (c, h, p) => true; */", nil},
		{"dart string", "dart", "print('badCertificateCallback = (c, h, p) => true');", nil},
		{"dart comparison", "dart", "if (c.badCertificateCallback == null) { return true; }", nil},
		{"dart conditional", "dart", "SecureSocket.connect(h, 443, onBadCertificate: (cert) => host == 'dev.local');", []string{"1:30 " + tls}},
		{"dart false then unrelated true", "dart", "c.badCertificateCallback = (c, h, p) { log('bad'); return false; };\nbool ok() { return true; }", nil},
		{"dart fingerprint pin", "dart", "c.badCertificateCallback = (cert, h, p) => cert.sha1.toString() == pin;", nil},
		{"dart named function", "dart", "c.badCertificateCallback = _ok;\nbool _ok(X509Certificate c, String h, int p) => true;", []string{"1:3 " + tls}},
		// Kotlin
		{"kotlin lambda", "kotlin", "b.hostnameVerifier { _, _ -> true }", []string{"1:3 " + host}},
		{"kotlin SAM in call", "kotlin", "b.hostnameVerifier(HostnameVerifier { _, _ -> true })", []string{"1:20 " + host}},
		{"kotlin conditional", "kotlin", "b.hostnameVerifier { h, _ -> h == \"api.example.com\" }", []string{"1:3 " + host}},
		{"kotlin delegating", "kotlin", "b.hostnameVerifier { h, s -> OkHostnameVerifier.verify(h, s) }", nil},
		{"kotlin throws", "kotlin", "override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {\n    throw CertificateException(\"no\")\n}", nil},
		{"kotlin = Unit", "kotlin", "override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) = Unit", []string{"1:14 " + tls}},
		{"kotlin empty with comment", "kotlin", "override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {\n    // trust all\n}", []string{"1:14 " + tls}},
		{"kotlin verify = true", "kotlin", "override fun verify(hostname: String?, session: SSLSession?): Boolean = true", []string{"1:14 " + host}},
		{"kotlin other verify", "kotlin", "fun verify(token: String): Boolean { return true }", nil},
		{"kotlin cleartext spec", "kotlin", "b.connectionSpecs(listOf(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))", []string{"1:53 " + clear}},
		// Java
		{"java empty trust manager", "java", "public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {}", []string{"1:13 " + tls}},
		{"java delegating", "java", "public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException { tm.checkServerTrusted(c, a); }", nil},
		{"java interface", "java", "void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException;", nil},
		{"java lambda", "java", "b.hostnameVerifier((hostname, session) -> true);", []string{"1:3 " + host}},
		{"java lambda block", "java", "b.hostnameVerifier((hostname, session) -> { return true; });", []string{"1:3 " + host}},
		{"java noop", "java", "new SSLConnectionSocketFactory(ctx, NoopHostnameVerifier.INSTANCE);", []string{"1:37 " + host}},
		{"java webview cancel", "java", "public void onReceivedSslError(WebView v, SslErrorHandler h, SslError e) { h.cancel(); }", nil},
		// Swift
		{"swift disabled evaluator", "swift", "let m = ServerTrustManager(evaluators: [\"api.example.com\": DisabledTrustEvaluator()])", []string{"1:60 " + tls}},
		{"swift default handling", "swift", "func urlSession(_ s: URLSession, didReceive challenge: URLAuthenticationChallenge, completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {\n  completionHandler(.performDefaultHandling, nil)\n}", nil},
		// Objective-C
		{"objc trust without evaluation", "objc", "- (void)URLSession:(NSURLSession *)session didReceiveChallenge:(NSURLAuthenticationChallenge *)challenge completionHandler:(void (^)(NSURLSessionAuthChallengeDisposition, NSURLCredential *))completionHandler {\n  completionHandler(NSURLSessionAuthChallengeUseCredential, [NSURLCredential credentialForTrust:challenge.protectionSpace.serverTrust]);\n}", []string{"1:1 " + tls}},
		{"objc AFNetworking", "objc", "policy.allowInvalidCertificates = YES;", []string{"1:8 " + tls}},
		// JavaScript
		{"js reject false", "js", "const a = new https.Agent({ rejectUnauthorized: false });", []string{"1:29 " + tls}},
		{"js reject computed", "js", "const a = new https.Agent({ rejectUnauthorized: process.env.NODE_ENV === 'production' });", nil},
		{"js reject in comment and string", "js", "// rejectUnauthorized: false\nconst s = \"rejectUnauthorized: false\";", nil},
		{"js env bracket", "js", "process.env[\"NODE_TLS_REJECT_UNAUTHORIZED\"] = \"0\";", []string{"1:14 " + tls}},
		{"js check identity erroring", "js", "tls.connect({ checkServerIdentity: (h, c) => { if (h !== 'x') return new Error('bad'); } });", nil},
		{"js regex with quote", "js", "const q = s.replace(/\"/g, '');\nconst a = { rejectUnauthorized: false };", []string{"2:13 " + tls}},
		// Go
		{"go skip verify", "go", "cfg := &tls.Config{InsecureSkipVerify: true}", []string{"1:20 " + tls}},
		{"go skip verify with own verification", "go", "cfg := &tls.Config{InsecureSkipVerify: true, VerifyPeerCertificate: pinCheck}", nil},
		{"go skip verify from flag", "go", "cfg := &tls.Config{InsecureSkipVerify: *insecure}", nil},
		// Config
		{"yaml skip false", "yaml", "tls_skip_verify: false\nverify_ssl: true", nil},
		{"yaml camel skip true", "yaml", "tls:\n  insecureSkipVerify: true", []string{"2:3 " + tls}},
		{"yaml commented", "yaml", "# insecure_skip_verify: true", nil},
		{"json reject false", "json", `{"rejectUnauthorized": false}`, []string{"1:3 " + tls}},
		// Android XML and plists
		{"base config cleartext", "xml", `<network-security-config><base-config cleartextTrafficPermitted="true"/></network-security-config>`, []string{"1:39 " + clear}},
		{"user CA in debug only", "xml", `<debug-overrides><trust-anchors><certificates src="user"/></trust-anchors></debug-overrides>`, nil},
		{"ATS off false", "plist", "<key>NSAllowsArbitraryLoads</key>\n<false/>", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := codeFindings(t, c.lang, c.text)
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %v, want %v", got, c.want)
			}
		})
	}
}
