package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/report"
)

func byName(d jsonDoc) map[string]report.ResultJSON {
	m := map[string]report.ResultJSON{}
	for _, r := range d.Results {
		m[r.Name] = r
	}
	return m
}

func TestScanHTTPChecks(t *testing.T) {
	path, _ := labFile(t, "good", "plain-http-200", "plain-http-redirect", "tls-port-speaks-http", "hsts-short", "tls-not-http")
	code, out, errOut := run(t, "", "scan", "-f", path, "--format", "json", "--fail-on", "none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rs := byName(parseDoc(t, out))
	good := rs["good"]
	if good.Protocol != "https" || good.HTTP == nil || good.HTTP.PlainHTTP.Verdict != "no-listener" ||
		good.HTTP.HTTPS.HSTS == nil || *good.HTTP.HTTPS.HSTS.MaxAge != 63072000 || !good.HTTP.HTTPS.CertVerified || len(good.Findings) != 0 {
		t.Errorf("good = %+v", good.HTTP)
	}
	plain := rs["plain-http-200"]
	if ids := findingIDs(plain); len(ids) != 1 || ids[0] != "http-plaintext-fallback" ||
		plain.Findings[0].Evidence["status_line"] != "HTTP/1.1 200 OK" || !strings.HasPrefix(plain.Findings[0].Evidence["body_prefix"], "tlsaudit lab endpoint") {
		t.Errorf("plain-http-200 findings = %+v", plain.Findings)
	}
	redirect := rs["plain-http-redirect"].HTTP.PlainHTTP
	if redirect.Verdict != "redirects-to-https" || len(redirect.Hops) != 2 || redirect.Hops[0].Status != 301 || !redirect.Hops[1].Reused {
		t.Errorf("plain-http-redirect = %+v", redirect)
	}
	// Plain HTTP on the TLS port: still one row, an error (no certificate
	// was checked), and the finding that names the misconfiguration.
	misrouted := rs["tls-port-speaks-http"]
	if misrouted.Status != "error" || misrouted.Error.Kind != "not-tls" || len(misrouted.Findings) != 1 ||
		misrouted.Findings[0].Check != "tls-port-speaks-http" || misrouted.HTTP.TLSPortPlaintext.Status != 200 {
		t.Errorf("tls-port-speaks-http = %+v", misrouted)
	}
	if ids := findingIDs(rs["hsts-short"]); len(ids) != 1 || ids[0] != "hsts-short-max-age" {
		t.Errorf("hsts-short findings = %v", ids)
	}
	if notHTTP := rs["tls-not-http"]; notHTTP.Protocol != "tls" || notHTTP.HTTP != nil || len(notHTTP.CheckErrors) != 0 {
		t.Errorf("tls-not-http = %+v", notHTTP)
	}
}

func TestHTTPFindingsGate(t *testing.T) {
	path, _ := labFile(t, "tls-port-speaks-http")
	cases := []struct {
		args []string
		code int
	}{
		// The finding fails the gate even when errors do not.
		{[]string{"--errors-fail=false"}, ExitFindings},
		{[]string{"--errors-fail=false", "--skip", "tls-port-speaks-http"}, ExitOK},
		{[]string{"--errors-fail=false", "--protocol", "tls"}, ExitOK},
		{[]string{"--errors-fail=false", "--fail-on", "critical"}, ExitOK},
	}
	for _, c := range cases {
		code, out, errOut := run(t, "", append([]string{"scan", "-f", path, "--format", "json"}, c.args...)...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d\n%s\n%s", c.args, code, c.code, out, errOut)
		}
	}
	code, out, _ := run(t, "", "scan", "-f", path, "--format", "table", "--fail-on", "none")
	if code != 0 || !strings.Contains(out, "not-tls") || !strings.Contains(out, "tls-port-speaks-http") || strings.Count(out, "tls-port-speaks-http") < 2 {
		t.Errorf("table:\n%s", out)
	}
}

func TestHTTPFlags(t *testing.T) {
	path, _ := labFile(t, "plain-http-200", "hsts-short")
	scanJSON := func(args ...string) map[string]report.ResultJSON {
		t.Helper()
		code, out, errOut := run(t, "", append([]string{"scan", "-f", path, "--format", "json", "--fail-on", "none"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return byName(parseDoc(t, out))
	}
	rs := scanJSON("--protocol", "tls")
	if r := rs["plain-http-200"]; r.Protocol != "tls" || r.HTTP != nil || len(r.Findings) != 0 {
		t.Errorf("--protocol tls: %+v", r)
	}
	rs = scanJSON("--hsts-min-age", "3600")
	if ids := findingIDs(rs["hsts-short"]); len(ids) != 0 {
		t.Errorf("--hsts-min-age 3600: findings %v", ids)
	}
	rs = scanJSON("--http-method", "head")
	if r := rs["plain-http-200"]; r.HTTP.HTTPS.Method != "HEAD" || r.HTTP.PlainHTTP.Hops[0].Method != "HEAD" || len(r.Findings) != 1 {
		t.Errorf("--http-method head: %+v", r.HTTP)
	}
	// The targets file names each lab endpoint's http_port, which wins
	// over the flag, as a target's own setting always does.
	rs = scanJSON("--http-port", "1")
	if r := rs["plain-http-200"]; r.HTTP.PlainHTTP.Verdict != "answers-plain" {
		t.Errorf("--http-port overrode the target's own http_port: %+v", r.HTTP.PlainHTTP)
	}
	for _, bad := range [][]string{
		{"--protocol", "gopher"}, {"--http-port", "0"}, {"--http-method", "POST"}, {"--hsts-min-age", "0"},
	} {
		code, _, errOut := run(t, "", append([]string{"scan", "-f", path}, bad...)...)
		if code != ExitUsage || !strings.Contains(errOut, "tlsaudit: error: "+bad[0]) {
			t.Errorf("%v: exit %d, stderr %q", bad, code, errOut)
		}
	}
}

// TestHTTPTargetFields scans through a hand-written targets file: an
// http:// host naming the plain-HTTP port, a request header whose value
// must never reach the report, and a line-numbered error.
func TestHTTPTargetFields(t *testing.T) {
	_, l := labFile(t, "plain-http-200")
	ep := l.Endpoint("plain-http-200")
	tgt := ep.Target()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, l.Env.PKI.Root.PEM(), 0o644)
	file := filepath.Join(dir, "t.yaml")
	os.WriteFile(file, []byte(fmt.Sprintf(`targets:
  - name: api
    host: http://%s:%d/v1/status
    port: %d
    servername: %s
    ca: %s
    http_headers:
      X-Api-Key: sekrit-value-123
`, tgt.Host, tgt.HTTPPort(), tgt.Port, tgt.ServerName, ca)), 0o644)
	code, out, errOut := run(t, "", "scan", "-f", file, "--format", "json", "--fail-on", "none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r := byName(parseDoc(t, out))["api"]
	if ids := findingIDs(r); len(ids) != 1 || ids[0] != "http-plaintext-fallback" {
		t.Errorf("findings %v", ids)
	}
	wantURL := fmt.Sprintf("http://%s:%d/v1/status", tgt.ServerName, tgt.HTTPPort())
	if r.HTTP.PlainHTTP.Hops[0].URL != wantURL || len(r.HTTP.RequestHeaders) != 1 || r.HTTP.RequestHeaders[0] != "X-Api-Key" {
		t.Errorf("plain hop %s (want %s), request headers %v", r.HTTP.PlainHTTP.Hops[0].URL, wantURL, r.HTTP.RequestHeaders)
	}
	if strings.Contains(out, "sekrit-value-123") || strings.Contains(errOut, "sekrit-value-123") {
		t.Error("a request header value reached the report")
	}
	os.WriteFile(file, []byte("targets:\n  - host: a.example\n    http_method: PUT\n"), 0o644)
	code, _, errOut = run(t, "", "scan", "-f", file)
	if code != ExitUsage || !strings.Contains(errOut, "t.yaml:3:18: http_method: must be GET or HEAD") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
