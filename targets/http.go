package targets

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// The HTTP settings of a target: what its TLS port carries (protocol), and
// how the HTTP probes reach it (http_port, http_path, http_method,
// http_headers) and judge it (hsts_min_age).

// ParseProtocol reads a protocol name (scanner.Protocols),
// case-insensitively.
func ParseProtocol(s string) (scanner.Protocol, error) {
	p := scanner.Protocol(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(scanner.Protocols, p) {
		names := make([]string, len(scanner.Protocols))
		for i, n := range scanner.Protocols {
			names[i] = string(n)
		}
		return "", fmt.Errorf("must be https (HTTP over TLS: HTTP checks run), tls (another protocol over TLS: no HTTP requests) or one of %s, got %s", strings.Join(names[2:], ", "), quote(s))
	}
	return p, nil
}

// ParseMethod reads GET or HEAD, case-insensitively.
func ParseMethod(s string) (string, error) {
	m := strings.ToUpper(strings.TrimSpace(s))
	if m != http.MethodGet && m != http.MethodHead {
		return "", fmt.Errorf("must be GET or HEAD, got %s", quote(s))
	}
	return m, nil
}

// CheckPath accepts an origin-form request target: "/" followed by a path
// and an optional query, printable ASCII without spaces or a fragment.
func CheckPath(p string) error {
	if !strings.HasPrefix(p, "/") {
		return fmt.Errorf("must start with /, got %s", quote(p))
	}
	for _, c := range []byte(p) {
		if c <= ' ' || c >= 0x7f || c == '#' {
			return fmt.Errorf("%s: spaces, control characters, non-ASCII and # are not allowed (percent-encode them)", quote(p))
		}
	}
	return nil
}

// CheckHSTSMinAge accepts a positive number of seconds, up to
// MaxHSTSMinAge.
func CheckHSTSMinAge(seconds int) error {
	if seconds < 1 {
		return fmt.Errorf("must be a positive number of seconds (31536000 is one year), got %d", seconds)
	}
	if seconds > MaxHSTSMinAge {
		return fmt.Errorf("must be at most %d seconds (ten years), got %d", MaxHSTSMinAge, seconds)
	}
	return nil
}

// hopHeaders are managed by the probes themselves (one request per
// connection, no body); a target may not set them.
var hopHeaders = []string{
	"Connection", "Content-Length", "Transfer-Encoding", "Keep-Alive", "Proxy-Connection",
	"Te", "Trailer", "Upgrade", "Expect",
}

// checkHeader validates one http_headers entry. Messages never quote the
// value: it may be a secret.
func checkHeader(name, value string) error {
	canon := http.CanonicalHeaderKey(name)
	switch {
	case !httpguts.ValidHeaderFieldName(name):
		return fmt.Errorf("%s is not a valid header name", quote(name))
	case slices.Contains(hopHeaders, canon):
		return fmt.Errorf("%s is set by the probe itself and cannot be configured", canon)
	case value == "":
		return fmt.Errorf("%s: empty value", canon)
	case !httpguts.ValidHeaderFieldValue(value):
		return fmt.Errorf("%s: the value holds a line break or control character", canon)
	case canon == "Host" && !httpguts.ValidHostHeader(value):
		return fmt.Errorf("Host: not a valid host[:port]")
	}
	return nil
}

// validateHTTP checks the HTTP settings a layer sets, at their positions.
func (l *loader) validateHTTP(ly layer) {
	s := ly.s
	if s.Protocol != nil {
		if _, err := ParseProtocol(*s.Protocol); err != nil {
			l.errs.add(ly.pos["protocol"], "protocol", "%v", err)
		}
	}
	if s.HTTPPort != nil && (*s.HTTPPort < 1 || *s.HTTPPort > 65535) {
		l.errs.add(ly.pos["http_port"], "http_port", "must be from 1 to 65535, got %d", *s.HTTPPort)
	}
	if s.HTTPPath != nil {
		if err := CheckPath(*s.HTTPPath); err != nil {
			l.errs.add(ly.pos["http_path"], "http_path", "%v", err)
		}
	}
	if s.HTTPMethod != nil {
		if _, err := ParseMethod(*s.HTTPMethod); err != nil {
			l.errs.add(ly.pos["http_method"], "http_method", "%v", err)
		}
	}
	names := make([]string, 0, len(s.HTTPHeaders))
	for k := range s.HTTPHeaders {
		names = append(names, k)
	}
	slices.Sort(names)
	seen := map[string]string{}
	for _, k := range names {
		if err := checkHeader(k, s.HTTPHeaders[k]); err != nil {
			l.errs.add(ly.pos["http_headers"], "http_headers", "%v", err)
		}
		canon := http.CanonicalHeaderKey(k)
		if prev, dup := seen[canon]; dup {
			l.errs.add(ly.pos["http_headers"], "http_headers", "%s and %s name the same header", quote(prev), quote(k))
		}
		seen[canon] = k
	}
	if s.HSTSMinAge != nil {
		if err := CheckHSTSMinAge(*s.HSTSMinAge); err != nil {
			l.errs.add(ly.pos["hsts_min_age"], "hsts_min_age", "%v", err)
		}
	}
}

// buildHTTP sets t's HTTP settings from the merged settings eff and the
// host as written (an http:// URL gives the plain-HTTP port and path).
// Invalid values were reported by validateHTTP; they are skipped here.
func (l *loader) buildHTTP(t *scanner.Target, spec hostSpec, eff Settings, ownSets func(string) bool, ownPos map[string]fileloc.Location, pos fileloc.Location) {
	if eff.Protocol != nil {
		t.HTTP.Protocol, _ = ParseProtocol(*eff.Protocol)
	}
	if spec.protocol != "" {
		// The URL's scheme names the protocol; only the target's own
		// protocol can contradict it.
		if t.HTTP.Protocol != "" && t.HTTP.Protocol != spec.protocol && ownSets("protocol") {
			l.errs.add(cmp.Or(ownPos["protocol"], pos), "protocol", "%s contradicts the %s:// URL of the host", t.HTTP.Protocol, spec.protocol)
		}
		t.HTTP.Protocol = spec.protocol
	}
	if t.HTTP.Protocol == "" && spec.scheme == "" {
		// Without a protocol or a scheme, a well-known port names it
		// (25 smtp, 5432 postgres, ...); every other port stays https.
		if p, ok := scanner.PortProtocol(t.Port); ok {
			t.HTTP.Protocol = p
		}
	}
	if spec.scheme == "http" {
		t.HTTP.Port = scanner.DefaultHTTPPort
		if spec.httpPort != 0 {
			t.HTTP.Port = spec.httpPort
		}
		if t.HTTP.Protocol == scanner.ProtocolTLS {
			l.errs.add(cmp.Or(ownPos["protocol"], pos), "protocol", "tls turns the HTTP probes off, but the host is an http:// URL")
		}
	}
	if eff.HTTPPort != nil {
		if spec.scheme == "http" && t.HTTP.Port != *eff.HTTPPort && ownSets("http_port") {
			l.errs.add(ownPos["http_port"], "http_port", "%d contradicts the port %d in the http:// host", *eff.HTTPPort, t.HTTP.Port)
		}
		if spec.scheme != "http" {
			t.HTTP.Port = *eff.HTTPPort
		}
	}
	// The path of the target's own URL beats a default or flag http_path;
	// the target's own http_path beats both.
	if eff.HTTPPath != nil && CheckPath(*eff.HTTPPath) == nil && (spec.path == "" || ownSets("http_path")) {
		t.Path = *eff.HTTPPath
	}
	if eff.HTTPMethod != nil {
		t.HTTP.Method, _ = ParseMethod(*eff.HTTPMethod)
	}
	if len(eff.HTTPHeaders) > 0 {
		t.HTTP.Headers = make(map[string]string, len(eff.HTTPHeaders))
		for k, v := range eff.HTTPHeaders {
			t.HTTP.Headers[http.CanonicalHeaderKey(k)] = v
		}
	}
	t.HTTP.HSTSMinAge = scanner.DefaultHSTSMinAge
	if eff.HSTSMinAge != nil && CheckHSTSMinAge(*eff.HSTSMinAge) == nil {
		t.HTTP.HSTSMinAge = time.Duration(*eff.HSTSMinAge) * time.Second
	}
}
