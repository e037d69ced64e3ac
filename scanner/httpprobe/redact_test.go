package httpprobe

import (
	"net/http"
	"testing"
)

// TestRedactor checks which forms of a configured value are scrubbed and
// that short values and the Host header are left alone.
func TestRedactor(t *testing.T) {
	headers := map[string]string{
		"X-Api-Key":     "AbCdEf123456",
		"Authorization": "Bearer tok-xyz-789",
		"Cookie":        "Basic dXNlcjpzM2NyZXQtcHc=", // user:s3cret-pw
		"X-Short":       "abc",
		"Host":          "api.example.com",
	}
	r := newRedactor(headers)
	for _, c := range []struct{ in, want string }{
		{"key=AbCdEf123456;", "key=[redacted];"},
		{"KEY=ABCDEF123456 abcdef123456", "KEY=[redacted] [redacted]"},
		{"Bearer tok-xyz-789", "[redacted]"},                // the whole value, not "Bearer [redacted]"
		{"token tok-xyz-789 only", "token [redacted] only"}, // the credential alone
		{"user:s3cret-pw and s3cret-pw", "[redacted] and [redacted]"},
		{"QWJDZEVmMTIzNDU2", "[redacted]"}, // base64 of the key
		{"/next?auth=Bearer+tok-xyz-789", "/next?auth=[redacted]"},
		{"abc is too short to redact", "abc is too short to redact"},
		{"https://api.example.com/", "https://api.example.com/"},
		{"AbCdEf123456AbCdEf123456", "[redacted][redacted]"},
		{"", ""},
	} {
		if got := r.string(c.in); got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}

	ex := &Exchange{
		StatusLine: "HTTP/1.1 401 AbCdEf123456",
		Header:     http.Header{"Location": {"/?k=AbCdEf123456"}, "X-Abcdef123456": {"v"}},
		BodyPrefix: []byte("tok-xyz-789"),
		Err:        "first bytes AbCdEf123456",
	}
	r.exchange(ex)
	if ex.StatusLine != "HTTP/1.1 401 [redacted]" || ex.Header.Get("Location") != "/?k=[redacted]" ||
		len(ex.Header["X-[redacted]"]) != 1 || string(ex.BodyPrefix) != "[redacted]" || ex.Err != "first bytes [redacted]" {
		t.Errorf("exchange not scrubbed: %+v", ex)
	}

	none := newRedactor(map[string]string{"Host": "a.example"})
	if got := none.string("a.example"); got != "a.example" || len(none.needles) != 0 {
		t.Errorf("Host redacted: %q", got)
	}
}
