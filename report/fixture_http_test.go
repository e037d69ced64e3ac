package report

import (
	"net/http"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/hsts"
	"github.com/tlsaudit/tlsaudit/scanner/httpprobe"
)

// fixtureHTTPGood is a well-configured API host: HSTS for two years, and
// plain HTTP redirecting to HTTPS (the second hop answered from memory).
func fixtureHTTPGood() *httpprobe.Observation {
	pol := hsts.Parse("max-age=63072000; includeSubDomains; preload")
	https := &httpprobe.Exchange{
		URL: "https://api.example.com/", Method: "GET", StatusCode: 200, StatusLine: "HTTP/1.1 200 OK",
		Header:     http.Header{"Strict-Transport-Security": {pol.Raw}},
		BodyPrefix: []byte(`{"status":"ok"}`), Duration: 3 * time.Millisecond,
	}
	reused := *https
	reused.Reused = true
	return &httpprobe.Observation{
		HTTPS: &httpprobe.HTTPSProbe{Exchange: https, CertVerified: true, HSTS: &pol, HSTSFields: 1},
		Plain: &httpprobe.PlainProbe{
			Hops: []*httpprobe.Exchange{
				{URL: "http://api.example.com/", Method: "GET", StatusCode: 301, StatusLine: "HTTP/1.1 301 Moved Permanently",
					Header: http.Header{"Location": {"https://api.example.com/"}}, Redirect: "https://api.example.com/", Duration: 2 * time.Millisecond},
				&reused,
			},
			Verdict: httpprobe.PlainRedirectsToHTTPS,
			Detail:  "redirects to HTTPS on the same host: http://api.example.com/ (301) -> https://api.example.com/ (200)",
		},
		HeaderNames: []string{"X-Api-Key"},
	}
}

// fixtureHTTPHostile is a host whose plain-HTTP answer and HSTS header
// carry terminal escapes and invalid UTF-8, and whose HTTPS certificate
// does not verify.
func fixtureHTTPHostile() *httpprobe.Observation {
	pol := hsts.Parse("max-age=1\x1b[2J, preload")
	return &httpprobe.Observation{
		HTTPS: &httpprobe.HTTPSProbe{
			Exchange: &httpprobe.Exchange{URL: "https://evil.example.com/", Method: "GET", StatusCode: 503, StatusLine: "HTTP/1.1 503 \u202eevil",
				Header: http.Header{"Strict-Transport-Security": {pol.Raw, "max-age=0"}}},
			CertError: "x509: certificate signed by unknown authority", HSTS: &pol, HSTSFields: 2,
		},
		Plain: &httpprobe.PlainProbe{
			Hops: []*httpprobe.Exchange{{URL: "http://evil.example.com/", Method: "GET", StatusCode: 200, StatusLine: "HTTP/1.1 200 \x1b[31mOK",
				BodyPrefix: []byte("<h1>\x1b]0;pwned\x07\u202e</h1>\xff"), BodyTruncated: true}},
			Verdict: httpprobe.PlainAnswers,
			Detail:  "answers \"HTTP/1.1 200 \\x1b[31mOK\" over plain HTTP instead of redirecting to HTTPS",
		},
	}
}
