package targets

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
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
		return hostSpec{}, fmt.Errorf("%q is not a host name, IP address or https:// URL", s)
	}
	// A bare IPv6 literal has colons but no port.
	if a, err := netip.ParseAddr(s); err == nil {
		return hostSpec{host: a.String()}, nil
	}
	host, portStr, err := net.SplitHostPort(s)
	if err != nil {
		if strings.Contains(err.Error(), "missing port") {
			host, portStr = strings.Trim(s, "[]"), ""
		} else {
			return hostSpec{}, fmt.Errorf("%q: %v", s, stripAddrErr(err))
		}
	}
	spec := hostSpec{}
	if spec.host, err = checkHost(host); err != nil {
		return hostSpec{}, err
	}
	if portStr != "" {
		if spec.port, err = parsePort(portStr); err != nil {
			return hostSpec{}, err
		}
	}
	return spec, nil
}

func parseURLSpec(s, scheme string) (hostSpec, error) {
	scheme = strings.ToLower(scheme)
	switch scheme {
	case "https", "http":
	default:
		return hostSpec{}, fmt.Errorf("%q: unsupported scheme %q (want https://, or http:// to name the plain-HTTP port)", s, scheme)
	}
	u, err := url.Parse(s)
	if err != nil {
		return hostSpec{}, fmt.Errorf("%q is not a valid URL: %v", s, err)
	}
	if u.User != nil {
		return hostSpec{}, fmt.Errorf("%q: URLs with credentials are not accepted; credentials would end up in reports", s)
	}
	spec := hostSpec{path: u.EscapedPath(), scheme: scheme}
	if u.RawQuery != "" {
		spec.path += "?" + u.RawQuery
	}
	if spec.host, err = checkHost(u.Hostname()); err != nil {
		return hostSpec{}, err
	}
	if p := u.Port(); p != "" {
		if spec.port, err = parsePort(p); err != nil {
			return hostSpec{}, err
		}
	}
	if scheme == "http" {
		spec.httpPort, spec.port = spec.port, 0
	}
	return spec, nil
}

// checkHost accepts an IP literal or a DNS name (letters, digits, hyphens
// and underscores in dot-separated labels of at most 63 bytes).
func checkHost(h string) (string, error) {
	if h == "" {
		return "", fmt.Errorf("empty host")
	}
	if a, err := netip.ParseAddr(h); err == nil {
		if a.Zone() != "" {
			return "", fmt.Errorf("%q: IPv6 zones are not supported", h)
		}
		return a.String(), nil
	}
	if err := checkDNSName(h); err != nil {
		return "", err
	}
	return strings.ToLower(strings.TrimSuffix(h, ".")), nil
}

func checkDNSName(h string) error {
	name := strings.TrimSuffix(h, ".")
	if len(name) == 0 || len(name) > 253 {
		return fmt.Errorf("%q is not a valid host name", h)
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("%q is not a valid host name", h)
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return fmt.Errorf("%q is not a valid host name (character %q; write internationalised names in their xn-- form)", h, c)
			}
		}
	}
	return nil
}

func parsePort(s string) (int, error) {
	p, err := strconv.Atoi(s)
	if err != nil || p < 1 || p > 65535 {
		return 0, fmt.Errorf("port %q must be a number from 1 to 65535", s)
	}
	return p, nil
}

func stripAddrErr(err error) string {
	var ae *net.AddrError
	if e, ok := err.(*net.AddrError); ok {
		ae = e
		return ae.Err
	}
	return err.Error()
}
