package httpprobe

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// hop builds an exchange: status 0 means "no answer" with errKind.
func hop(url string, status int, location string) *Exchange {
	ex := &Exchange{URL: url, Method: "GET", StatusCode: status, StatusLine: "HTTP/1.1 " + http.StatusText(status), Header: http.Header{}}
	if location != "" {
		ex.Header.Set("Location", location)
		ex.Redirect = location
	}
	return ex
}

func failed(url string, kind netx.ErrorKind) *Exchange {
	return &Exchange{URL: url, Method: "GET", ErrKind: kind, Err: string(kind)}
}

func TestClassifyPlain(t *testing.T) {
	const h, s = "http://api.example", "https://api.example"
	tests := []struct {
		name        string
		hops        []*Exchange
		loop        bool
		stopped     string
		httpsStatus int
		want        PlainVerdict
		detail      string // substring
	}{
		{"refused", []*Exchange{failed(h+"/", netx.KindRefused)}, false, "", 200, PlainNoListener, "nothing accepts connections on api.example"},
		{"filtered", []*Exchange{failed(h+"/", netx.KindConnectTimeout)}, false, "", 200, PlainNoListener, "connect-timeout"},
		{"reset", []*Exchange{failed(h+"/", netx.KindReset)}, false, "", 200, PlainNoHTTP, "gave no HTTP answer"},
		{"not http", []*Exchange{failed(h+"/", netx.KindProtocol)}, false, "", 200, PlainNoHTTP, ""},
		{"deadline", []*Exchange{failed(h+"/", netx.KindDeadline)}, false, "", 200, PlainUndecided, "deadline"},
		{"content", []*Exchange{hop(h+"/", 200, "")}, false, "", 200, PlainAnswers, "instead of redirecting to HTTPS"},
		{"credentials", []*Exchange{hop(h+"/", 401, "")}, false, "", 200, PlainAnswers, "asks for credentials"},
		{"same error as https", []*Exchange{hop(h+"/", 404, "")}, false, "", 404, PlainAnswers, "as HTTPS does"},
		{"refusal", []*Exchange{hop(h+"/", 403, "")}, false, "", 200, PlainRefuses, "refused, not served"},
		{"426", []*Exchange{hop(h+"/", 426, "")}, false, "", 0, PlainRefuses, "HTTPS answers nothing"},
		{"3xx without location", []*Exchange{hop(h+"/", 302, "")}, false, "", 200, PlainAnswers, "without a usable Location"},
		{"to https", []*Exchange{hop(h+"/", 301, s+"/"), hop(s+"/", 200, "")}, false, "", 200, PlainRedirectsToHTTPS, "same host"},
		{"to https, host case differs", []*Exchange{hop(h+"/", 301, "https://API.example/")}, false, "redirect to another port", 200, PlainRedirectsToHTTPS, ""},
		{"to https elsewhere", []*Exchange{hop(h+"/", 301, "https://www.api.example/")}, false, "redirect to another host", 200, PlainRedirectsElsewhere, "another host"},
		{"https chain loops in https", []*Exchange{hop(h+"/", 301, s+"/a"), hop(s+"/a", 302, s+"/b"), hop(s+"/b", 302, s+"/a")}, true, "", 302, PlainRedirectsToHTTPS, "(loop)"},
		{"to plain http elsewhere", []*Exchange{hop(h+"/", 301, "http://www.api.example/")}, false, "redirect to another host", 200, PlainRedirectsToHTTP, `redirects to the plain-HTTP URL "http://www.api.example/"`},
		{"to plain then refusal", []*Exchange{hop(h+"/", 302, h+"/x"), hop(h+"/x", 403, "")}, false, "", 200, PlainRedirectsToHTTP, "redirects to the plain-HTTP URL"},
		{"to plain then content", []*Exchange{hop(h+"/", 302, h+"/login"), hop(h+"/login", 200, "")}, false, "", 200, PlainAnswers, "after redirects"},
		{"through https back to plain", []*Exchange{hop(h+"/", 301, s+"/"), hop(s+"/", 301, h+"/x"), hop(h+"/x", 301, s+"/x"), hop(s+"/x", 200, "")}, false, "", 301, PlainRedirectsToHTTP, "through plain HTTP again"},
		{"loop through plain", []*Exchange{hop(h+"/", 301, s+"/"), hop(s+"/", 301, h+"/")}, true, "", 301, PlainRedirectsToHTTP, "in a loop"},
		{"to https, then the hop fails", []*Exchange{hop(h+"/", 301, s+"/"), failed(s+"/", netx.KindReset)}, false, "", 0, PlainRedirectsToHTTPS, ""},
		{"to plain, then the hop fails", []*Exchange{hop(h+"/", 301, h+"/x"), failed(h+"/x", netx.KindReset)}, false, "", 0, PlainRedirectsToHTTP, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &PlainProbe{Hops: tt.hops, Loop: tt.loop, Stopped: tt.stopped}
			v, detail := classifyPlain(p, tt.httpsStatus, "api.example")
			if v != tt.want || !strings.Contains(detail, tt.detail) {
				t.Errorf("got %s %q, want %s with %q", v, detail, tt.want, tt.detail)
			}
			if v.Problem() != (tt.want == PlainAnswers || tt.want == PlainRedirectsToHTTP) {
				t.Errorf("Problem() = %v for %s", v.Problem(), v)
			}
		})
	}
}

func TestResolveRedirect(t *testing.T) {
	base := mustURL("http://api.example:8080/a/b?q=1")
	tests := map[string]string{
		"":                           "",
		"/login":                     "http://api.example:8080/login",
		"c":                          "http://api.example:8080/a/c",
		"https://API.Example":        "https://api.example/",
		"https://api.example/x#frag": "https://api.example/x",
		"//other.example/p":          "http://other.example/p",
		"ftp://api.example/":         "",
		"javascript:alert(1)":        "",
		"http://[::1":                "",
		"https:///nohost":            "",
	}
	for loc, want := range tests {
		if got := resolveRedirect(base, loc); got != want {
			t.Errorf("resolveRedirect(%q) = %q, want %q", loc, got, want)
		}
	}
}
