package checks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/hsts"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/httpprobe"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// The HTTP checks are pure functions of Result.HTTP; these tests feed
// them synthetic observations. The lab tests show the probes fill them in.

var httpNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// run runs one check on r and returns its findings and error.
func runHTTPCheck(t *testing.T, c *scanner.Check, r *scanner.Result) ([]scanner.Finding, error) {
	t.Helper()
	var got []scanner.Finding
	err := c.Run(scanner.NewPass(c, r, httpNow, func(f scanner.Finding) { got = append(got, f) }))
	return got, err
}

func httpsResult(target *scanner.Target, status int, sts ...string) *scanner.Result {
	ex := &httpprobe.Exchange{URL: "https://api.example/", Method: "GET", StatusCode: status,
		StatusLine: "HTTP/1.1 " + http.StatusText(status), Header: http.Header{}}
	hp := &httpprobe.HTTPSProbe{Exchange: ex, CertVerified: true, HSTSFields: len(sts)}
	for _, v := range sts {
		ex.Header.Add("Strict-Transport-Security", v)
	}
	if len(sts) > 0 {
		p := hsts.Parse(sts[0])
		hp.HSTS = &p
	}
	return &scanner.Result{Target: target, HTTP: &httpprobe.Observation{HTTPS: hp}}
}

func apiTarget() *scanner.Target {
	return &scanner.Target{Host: "api.example", Port: 443, ServerName: "api.example"}
}

func TestHSTSChecks(t *testing.T) {
	tests := []struct {
		name   string
		target func(*scanner.Target)
		status int
		sts    []string
		want   map[string]scanner.Severity // check ID -> severity of its one finding
	}{
		{"good", nil, 200, []string{"max-age=31536000; includeSubDomains"}, nil},
		{"missing", nil, 200, nil, map[string]scanner.Severity{"hsts-missing": scanner.Medium}},
		{"missing on an error answer", nil, 500, nil, map[string]scanner.Severity{"hsts-missing": scanner.Medium}},
		{"short", nil, 200, []string{"max-age=2592000"}, map[string]scanner.Severity{"hsts-short-max-age": scanner.Low}},
		{"zero switches HSTS off", nil, 200, []string{"max-age=0"}, map[string]scanner.Severity{"hsts-short-max-age": scanner.Medium}},
		{"custom minimum", func(t *scanner.Target) { t.HTTP.HSTSMinAge = 7 * 24 * time.Hour }, 200, []string{"max-age=2592000"}, nil},
		{"custom minimum above a year", func(t *scanner.Target) { t.HTTP.HSTSMinAge = 2 * 365 * 24 * time.Hour }, 200, []string{"max-age=31536000"},
			map[string]scanner.Severity{"hsts-short-max-age": scanner.Low}},
		{"malformed", nil, 200, []string{"max-age=31536000, includeSubDomains"}, map[string]scanner.Severity{"hsts-malformed": scanner.Medium}},
		{"only the first field counts", nil, 200, []string{"max-age=31536000", "max-age=0"}, nil},
		{"first field malformed", nil, 200, []string{"includeSubDomains", "max-age=31536000"}, map[string]scanner.Severity{"hsts-malformed": scanner.Medium}},
		{"IP host: browsers ignore HSTS", func(t *scanner.Target) { t.ServerName = "192.0.2.1" }, 200, nil, nil},
		{"IP host via Host header is still an IP", func(t *scanner.Target) { t.HTTP.Headers = map[string]string{"Host": "192.0.2.1:443"} }, 200, nil, nil},
		{"name via Host header on an IP target", func(t *scanner.Target) {
			t.ServerName = "192.0.2.1"
			t.HTTP.Headers = map[string]string{"Host": "api.example"}
		}, 200, nil, map[string]scanner.Severity{"hsts-missing": scanner.Medium}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := apiTarget()
			if tt.target != nil {
				tt.target(target)
			}
			r := httpsResult(target, tt.status, tt.sts...)
			for _, id := range []string{"hsts-missing", "hsts-short-max-age", "hsts-malformed"} {
				got, err := runHTTPCheck(t, checks.ByID(id), r)
				if err != nil {
					t.Fatalf("%s: %v", id, err)
				}
				sev, want := tt.want[id]
				switch {
				case want && (len(got) != 1 || got[0].Severity != sev):
					t.Errorf("%s: got %+v, want one %s finding", id, got, sev)
				case !want && len(got) != 0:
					t.Errorf("%s: unexpected %+v", id, got)
				}
			}
		})
	}
}

func TestHSTSEvidence(t *testing.T) {
	r := httpsResult(apiTarget(), 200, "max-age=600; preload; includeSubdomain")
	r.HTTP.HTTPS.CertVerified, r.HTTP.HTTPS.CertError = false, "x509: certificate signed by unknown authority"
	got, err := runHTTPCheck(t, checks.HSTSShortMaxAge, r)
	if err != nil || len(got) != 1 {
		t.Fatalf("got %+v, error %v", got, err)
	}
	ev := got[0].Evidence
	for k, want := range map[string]string{
		"max_age": "600", "min_age": "31536000", "preload": "true", "include_subdomains": "false",
		"unknown_directives": "includeSubdomain", "cert_verified": "false", "status_line": "HTTP/1.1 OK",
	} {
		if ev[k] != want {
			t.Errorf("evidence %s = %q, want %q (all: %v)", k, ev[k], want, ev)
		}
	}
	if !strings.Contains(ev["cert_error"], "unknown authority") {
		t.Errorf("cert_error = %q", ev["cert_error"])
	}
}

// TestHTTPChecksCannotDecide: a failed request is "could not decide",
// never a silent pass; no observation at all means the checks do not
// apply (protocol tls, or the TLS port unreachable).
func TestHTTPChecksCannotDecide(t *testing.T) {
	failed := &httpprobe.Exchange{URL: "https://api.example/", Method: "GET", ErrKind: netx.KindReset, Err: "connection reset by peer"}
	r := &scanner.Result{Target: apiTarget(), HTTP: &httpprobe.Observation{HTTPS: &httpprobe.HTTPSProbe{Exchange: failed}}}
	for _, id := range []string{"hsts-missing", "hsts-short-max-age", "hsts-malformed"} {
		if _, err := runHTTPCheck(t, checks.ByID(id), r); err == nil || !strings.Contains(err.Error(), "set protocol: tls") {
			t.Errorf("%s: error %v", id, err)
		}
	}
	undecided := &httpprobe.PlainProbe{Hops: []*httpprobe.Exchange{failed}, Verdict: httpprobe.PlainUndecided, Detail: "no answer before the deadline"}
	r.HTTP = &httpprobe.Observation{Plain: undecided}
	if _, err := runHTTPCheck(t, checks.HTTPPlaintextFallback, r); err == nil {
		t.Error("undecided plain-HTTP verdict passed silently")
	}
	r.HTTP = &httpprobe.Observation{TLSPortPlaintext: failed}
	if _, err := runHTTPCheck(t, checks.TLSPortSpeaksHTTP, r); err == nil {
		t.Error("failed plaintext request to the TLS port passed silently")
	}
	r.HTTP = &httpprobe.Observation{}
	for _, c := range checks.All() {
		if c.Needs&scanner.NeedHTTP == 0 {
			continue
		}
		if got, err := runHTTPCheck(t, c, r); err != nil || len(got) > 0 {
			t.Errorf("%s on an empty observation: %v, %v", c.ID, got, err)
		}
	}
}

func TestPlaintextFallbackSeverity(t *testing.T) {
	hop := func(url string, status int, redirect string) *httpprobe.Exchange {
		return &httpprobe.Exchange{URL: url, Method: "GET", StatusCode: status, StatusLine: "HTTP/1.1 x", Redirect: redirect, Header: http.Header{}}
	}
	tests := []struct {
		name string
		pl   *httpprobe.PlainProbe
		want scanner.Severity
	}{
		{"content", &httpprobe.PlainProbe{Verdict: httpprobe.PlainAnswers, Hops: []*httpprobe.Exchange{hop("http://a/", 200, "")}}, scanner.High},
		{"plain hop, ends on https", &httpprobe.PlainProbe{Verdict: httpprobe.PlainRedirectsToHTTP,
			Hops: []*httpprobe.Exchange{hop("http://a/", 301, "http://a/x"), hop("http://a/x", 301, "https://a/x")}}, scanner.Medium},
		{"to plain elsewhere", &httpprobe.PlainProbe{Verdict: httpprobe.PlainRedirectsToHTTP,
			Hops: []*httpprobe.Exchange{hop("http://a/", 301, "http://b/")}}, scanner.High},
		{"loop", &httpprobe.PlainProbe{Verdict: httpprobe.PlainRedirectsToHTTP, Loop: true,
			Hops: []*httpprobe.Exchange{hop("http://a/", 301, "https://a/"), hop("https://a/", 301, "http://a/")}}, scanner.High},
		{"redirect to https", &httpprobe.PlainProbe{Verdict: httpprobe.PlainRedirectsToHTTPS,
			Hops: []*httpprobe.Exchange{hop("http://a/", 301, "https://a/")}}, 0},
		{"no listener", &httpprobe.PlainProbe{Verdict: httpprobe.PlainNoListener,
			Hops: []*httpprobe.Exchange{{URL: "http://a/", ErrKind: netx.KindRefused}}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &scanner.Result{Target: apiTarget(), HTTP: &httpprobe.Observation{Plain: tt.pl}}
			got, err := runHTTPCheck(t, checks.HTTPPlaintextFallback, r)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == 0 && len(got) != 0:
				t.Errorf("unexpected %+v", got)
			case tt.want != 0 && (len(got) != 1 || got[0].Severity != tt.want):
				t.Errorf("got %+v, want one %s finding", got, tt.want)
			}
		})
	}
}
