package scanner

import (
	"cmp"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Defaults of HTTPSettings' zero fields.
const (
	DefaultHTTPPort   = 80
	DefaultHTTPMethod = http.MethodGet
	// DefaultHSTSMinAge is one year: the minimum that OWASP and Mozilla
	// recommend and that browsers' HSTS preload lists require.
	DefaultHSTSMinAge = 365 * 24 * time.Hour
)

// HTTPSettings say how the HTTP probes treat a target. Zero fields take
// the defaults above.
type HTTPSettings struct {
	Protocol Protocol
	// Port is the plain-HTTP port checked for a fallback.
	Port int
	// Method is GET or HEAD. GET (the default) also yields the first bytes
	// of the body as evidence.
	Method string
	// Headers are extra request headers (an API key, a Host an API gateway
	// routes on). They are sent over TLS only, and only over a connection
	// a client with the target's trust settings would accept (judgePeer);
	// plain-HTTP requests carry only the Host, so a secret is never sent
	// in cleartext by the tool that warns about cleartext, nor to a server
	// that failed verification. Their values never appear in results:
	// what servers echo of them is redacted (redactor).
	Headers map[string]string
	// HSTSMinAge is the shortest HSTS max-age hsts-short-max-age accepts.
	HSTSMinAge time.Duration
}

// SpeaksHTTP reports whether the HTTP probes run on t.
func (t *Target) SpeaksHTTP() bool { return protocolOf(t.Protocol()).http }

// Protocol is what t's TLS port carries.
func (t *Target) Protocol() Protocol { return cmp.Or(t.HTTP.Protocol, ProtocolHTTPS) }

// HTTPPort is the plain-HTTP port of t.
func (t *Target) HTTPPort() int { return cmp.Or(t.HTTP.Port, DefaultHTTPPort) }

// HTTPMethod is the method of t's HTTP probes.
func (t *Target) HTTPMethod() string {
	return cmp.Or(strings.ToUpper(t.HTTP.Method), DefaultHTTPMethod)
}

// HTTPPath is the request target (path and query) of t's HTTP probes.
func (t *Target) HTTPPath() string { return cmp.Or(t.Path, "/") }

// HSTSMinAge is the shortest max-age t accepts.
func (t *Target) HSTSMinAge() time.Duration { return cmp.Or(t.HTTP.HSTSMinAge, DefaultHSTSMinAge) }

// HTTPHost is the host name HTTP requests name (in the URL and the Host
// header): the Host header t configures, else its server name.
func (t *Target) HTTPHost() string {
	for k, v := range t.HTTP.Headers {
		if strings.EqualFold(k, "Host") {
			if h, _, err := net.SplitHostPort(v); err == nil {
				return strings.ToLower(h)
			}
			return strings.ToLower(strings.Trim(v, "[]"))
		}
	}
	return t.ServerName
}

// HeaderNames lists the names of t's extra request headers, sorted, for
// reports that must not show their values.
func (t *Target) HeaderNames() []string {
	names := make([]string, 0, len(t.HTTP.Headers))
	for k := range t.HTTP.Headers {
		names = append(names, http.CanonicalHeaderKey(k))
	}
	slices.Sort(names)
	return names
}

// HTTPHostIsIP reports whether t's HTTP host is an IP literal, for which
// browsers never record HSTS (RFC 6797 §8.1.1).
func (t *Target) HTTPHostIsIP() bool {
	_, err := netip.ParseAddr(t.HTTPHost())
	return err == nil
}
