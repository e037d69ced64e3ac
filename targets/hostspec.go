package targets

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/hostname"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// hostSpec is a host as a user may write it: a DNS name, an IPv4 or IPv6
// literal (bracketed or not), any of those with ":port", or an
// https://host[:port][/path] URL, or an http://host[:port][/path] URL,
// whose port is the plain-HTTP port (the TLS port stays 443 or `port`).
type hostSpec struct {
	host     string // without brackets
	port     int    // 0 when not given
	path     string // from a URL
	scheme   string // "https" or "http" for URLs, else ""
	httpPort int    // the port of an http:// URL, 0 when not given
	// protocol is what a URL's scheme names (smtp://, postgres://),
	// empty for https://, http:// and bare hosts.
	protocol scanner.Protocol
}

func parseHostSpec(s string) (hostSpec, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return hostSpec{}, fmt.Errorf("empty host")
	}
	if i := strings.Index(s, "://"); i >= 0 {
		return parseURLSpec(s, s[:i])
	}
	if strings.ContainsAny(s, "/?#@") {
		return hostSpec{}, fmt.Errorf("%s is not a host name, IP address or https:// URL", quote(s))
	}
	// A bare IPv6 literal has colons but no port.
	if _, err := netip.ParseAddr(s); err == nil {
		host, err := CanonicalHost(s)
		return hostSpec{host: host}, err
	}
	if strings.HasSuffix(s, ":") {
		return hostSpec{}, fmt.Errorf("%s: empty port after the colon (leave the colon out for port %d)", quote(s), DefaultPort)
	}
	host, portStr, err := net.SplitHostPort(s)
	if err != nil {
		if strings.Contains(err.Error(), "missing port") {
			host, portStr = strings.Trim(s, "[]"), ""
		} else {
			return hostSpec{}, fmt.Errorf("%s: %v", quote(s), stripAddrErr(err))
		}
	}
	spec := hostSpec{}
	if spec.host, err = CanonicalHost(host); err != nil {
		return hostSpec{}, err
	}
	if portStr != "" {
		if spec.port, err = ParsePort(portStr); err != nil {
			return hostSpec{}, err
		}
	}
	return spec, nil
}

func parseURLSpec(s, scheme string) (hostSpec, error) {
	scheme = strings.ToLower(scheme)
	switch scheme {
	case "https", "http":
	case "mqtt", "tcp", "ws":
		return hostSpec{}, fmt.Errorf("%s: %s:// is plaintext MQTT (port 1883), which has no TLS to audit; write mqtts://host (port 8883)", quote(s), scheme)
	default:
		if _, ok := scanner.SchemeProtocol(scheme); !ok {
			return hostSpec{}, fmt.Errorf("%s: unsupported scheme %s (want https://, http:// to name the plain-HTTP port, or a protocol's scheme such as smtp://, imaps://, postgres://, ldap://, mqtts://)", quote(s), quote(scheme))
		}
		return parseProtocolURL(s, scheme)
	}
	u, err := url.Parse(s)
	if err != nil {
		return hostSpec{}, fmt.Errorf("%s is not a valid URL: %v", quote(s), urlProblem(err))
	}
	if u.User != nil {
		return hostSpec{}, fmt.Errorf("%s: URLs with credentials are not accepted; credentials would end up in reports", quote(s))
	}
	spec := hostSpec{path: u.EscapedPath(), scheme: scheme}
	if u.RawQuery != "" {
		spec.path += "?" + u.RawQuery
	}
	if spec.host, err = CanonicalHost(u.Hostname()); err != nil {
		return hostSpec{}, err
	}
	if p := u.Port(); p != "" {
		if spec.port, err = ParsePort(p); err != nil {
			return hostSpec{}, err
		}
	}
	if scheme == "http" {
		spec.httpPort, spec.port = spec.port, 0
	}
	return spec, nil
}

// CanonicalHost checks a host or server name and returns the one form
// tlsaudit compares and reports it in: an IP literal in its canonical
// form, or a DNS name (letters, digits, hyphens and underscores in
// dot-separated labels of at most 63 bytes) folded by hostname.Fold, so
// that "localhost." and "localhost" are one target.
//
// IPv6 zones ("fe80::1%eth0") are refused wherever a host is written,
// bracketed or not, in a URL or as a server name: a zone names an
// interface of the scanning machine, so the same target would mean another
// host on another machine, reports and alert identities would carry a
// local interface name, and no certificate can name it.
func CanonicalHost(name string) (string, error) {
	h := hostname.Fold(name)
	if h == "" {
		return "", fmt.Errorf("empty host")
	}
	if a, err := netip.ParseAddr(h); err == nil {
		if a.Zone() != "" {
			return "", fmt.Errorf("%s: IPv6 zones are not supported (a zone names an interface of this machine, not a host)", quote(name))
		}
		return a.String(), nil
	}
	if err := checkDNSName(h); err != nil {
		return "", err
	}
	return h, nil
}

func checkDNSName(h string) error {
	name := strings.TrimSuffix(h, ".")
	if len(name) == 0 || len(name) > 253 {
		return fmt.Errorf("%s is not a valid host name", quote(h))
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("%s is not a valid host name", quote(h))
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return fmt.Errorf("%s is not a valid host name (character %q; write internationalised names in their xn-- form)", quote(h), c)
			}
		}
	}
	return nil
}

// ParsePort reads a port written in decimal digits only, from 1 to
// 65535: strconv.Atoi alone would take "+1" (and " 1" after a trim). Every
// port tlsaudit reads from a file, an argument or source code goes
// through it, so one spelling means one port everywhere.
func ParsePort(s string) (int, error) {
	p, ok := decimal(s)
	if !ok || p < 1 || p > 65535 {
		return 0, fmt.Errorf("port %s must be a number from 1 to 65535", quote(s))
	}
	return p, nil
}

// decimal reads a whole number written in ASCII digits only (no sign,
// space or underscore), of at most 18 digits, so it cannot overflow.
func decimal(s string) (int, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// urlProblem is url.Parse's complaint without the URL, which it quotes in
// full; cut short, as it may quote part of the URL itself.
func urlProblem(err error) string {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	return textsafe.Excerpt(err.Error(), maxYAMLMessage)
}

// stripAddrErr drops the address net.SplitHostPort repeats in its error;
// the caller quotes it already.
func stripAddrErr(err error) string {
	if ae, ok := errors.AsType[*net.AddrError](err); ok {
		return ae.Err
	}
	return err.Error()
}

// parseProtocolURL reads a URL of another protocol (smtp://host:587,
// postgres://db.example.com): only its host and port matter. Credentials,
// a database name or a query are refused rather than ignored, so that a
// DATABASE_URL pasted whole does not put its password in a report.
func parseProtocolURL(s, scheme string) (hostSpec, error) {
	u, err := url.Parse(s)
	if err != nil {
		return hostSpec{}, fmt.Errorf("%s is not a valid URL: %v", quote(s), urlProblem(err))
	}
	if u.User != nil {
		return hostSpec{}, fmt.Errorf("%s: URLs with credentials are not accepted; credentials would end up in reports", quote(u.Redacted()))
	}
	proto, _ := scanner.SchemeProtocol(scheme)
	// libpq's sslnegotiation=direct (PostgreSQL 17) is the one query a
	// target URL takes: it changes how TLS starts, so it picks the
	// protocol rather than being dropped.
	if proto == "postgres" {
		switch u.RawQuery {
		case "sslnegotiation=direct":
			proto, u.RawQuery = "postgres-direct", ""
		case "sslnegotiation=postgres":
			u.RawQuery = ""
		}
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return hostSpec{}, fmt.Errorf("%s: a %s:// target is a host and an optional port; leave out the path and query (only sslnegotiation=direct or =postgres on a postgres:// URL)", quote(s), scheme)
	}
	spec := hostSpec{protocol: proto}
	if spec.host, err = CanonicalHost(u.Hostname()); err != nil {
		return hostSpec{}, err
	}
	if p := u.Port(); p != "" {
		if spec.port, err = ParsePort(p); err != nil {
			return hostSpec{}, err
		}
	} else if scheme == "submission" {
		spec.port = 587
	}
	return spec, nil
}
