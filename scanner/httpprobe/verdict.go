package httpprobe

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// PlainVerdict is what a target's plain-HTTP port does with a request.
type PlainVerdict string

// Plain-HTTP verdicts. Only PlainAnswers and PlainRedirectsToHTTP are
// problems (http-plaintext-fallback); the others are facts for the report.
const (
	// PlainNoListener: nothing accepts connections on the HTTP port
	// (refused, or filtered). The best answer for an API host.
	PlainNoListener PlainVerdict = "no-listener"
	// PlainNoHTTP: something accepted the connection but gave no HTTP
	// answer (closed, reset, silent, or another protocol).
	PlainNoHTTP PlainVerdict = "no-http-answer"
	// PlainRefuses: an error status (403, 426, ...) that HTTPS does not
	// give for the same request: plaintext is refused, not served.
	PlainRefuses PlainVerdict = "refuses"
	// PlainRedirectsToHTTPS: a redirect to https:// on the same host,
	// with no plain-HTTP hop after it.
	PlainRedirectsToHTTPS PlainVerdict = "redirects-to-https"
	// PlainRedirectsElsewhere: a redirect to https:// on another host
	// (say www.), with no plain-HTTP hop after it.
	PlainRedirectsElsewhere PlainVerdict = "redirects-to-https-elsewhere"
	// PlainAnswers: content, a credentials challenge, or the same answer
	// HTTPS gives, over plain HTTP.
	PlainAnswers PlainVerdict = "answers-plain"
	// PlainRedirectsToHTTP: a redirect to another plain-HTTP URL, or a
	// chain (or loop) that passes through plain HTTP again.
	PlainRedirectsToHTTP PlainVerdict = "redirects-to-http"
	// PlainUndecided: the target's deadline ran out (or the scan was
	// interrupted) before the first answer.
	PlainUndecided PlainVerdict = "undecided"
)

// Problem reports whether the verdict is a plaintext fallback.
func (v PlainVerdict) Problem() bool { return v == PlainAnswers || v == PlainRedirectsToHTTP }

// classifyPlain sums up the hops of a plain-HTTP probe. httpsStatus is the
// HTTPS probe's status for the same request, 0 if it had none; host is the
// target's HTTP host name.
func classifyPlain(p *PlainProbe, httpsStatus int, host string) (PlainVerdict, string) {
	first := p.Hops[0]
	if !first.Answered() {
		switch first.ErrKind {
		case netx.KindRefused, netx.KindConnectTimeout, netx.KindUnreachable:
			return PlainNoListener, fmt.Sprintf("nothing accepts connections on %s (%s)", hostOf(first.URL), first.ErrKind)
		case netx.KindCanceled, netx.KindDeadline:
			return PlainUndecided, fmt.Sprintf("no answer from %s before the target's deadline: %s", first.URL, first.Err)
		}
		return PlainNoHTTP, fmt.Sprintf("%s accepted the connection but gave no HTTP answer: %s", hostOf(first.URL), first.Err)
	}
	chain := describeChain(p)
	last := p.Hops[len(p.Hops)-1]
	if schemeOf(last.URL) == "http" && last.Answered() && !last.IsRedirect() {
		if why := answersPlain(last, httpsStatus); why != "" {
			if len(p.Hops) > 1 {
				return PlainAnswers, fmt.Sprintf("%s over plain HTTP after redirects: %s", why, chain)
			}
			return PlainAnswers, fmt.Sprintf("%s over plain HTTP instead of redirecting to HTTPS", why)
		}
	}
	for i, h := range p.Hops {
		if !h.IsRedirect() || schemeOf(h.Redirect) != "http" {
			continue
		}
		switch {
		case p.Loop:
			return PlainRedirectsToHTTP, "redirects in a loop through plain HTTP: " + chain
		case i > 0:
			return PlainRedirectsToHTTP, "redirects through plain HTTP again: " + chain
		}
		return PlainRedirectsToHTTP, fmt.Sprintf("redirects to the plain-HTTP URL %q: %s", h.Redirect, chain)
	}
	if !first.IsRedirect() {
		return PlainRefuses, fmt.Sprintf("answers %q over plain HTTP, where HTTPS answers %s: plaintext is refused, not served", first.StatusLine, statusText(httpsStatus))
	}
	target, _ := url.Parse(first.Redirect)
	if strings.EqualFold(target.Hostname(), host) {
		return PlainRedirectsToHTTPS, "redirects to HTTPS on the same host: " + chain
	}
	return PlainRedirectsElsewhere, "redirects to HTTPS on another host: " + chain
}

// answersPlain says how a final plain-HTTP response serves the client, or
// "" when it refuses it. An error status counts as serving when HTTPS
// gives the same one: the request reached the same application.
func answersPlain(ex *Exchange, httpsStatus int) string {
	s := ex.StatusCode
	switch {
	case s < 300:
		return fmt.Sprintf("answers %q", ex.StatusLine)
	case s < 400:
		return fmt.Sprintf("answers %q without a usable Location", ex.StatusLine)
	case s == http.StatusUnauthorized || s == http.StatusProxyAuthRequired:
		return fmt.Sprintf("asks for credentials (%q)", ex.StatusLine)
	case s == httpsStatus:
		return fmt.Sprintf("answers %q, as HTTPS does for the same request,", ex.StatusLine)
	}
	return ""
}

// describeChain renders the hops as `"URL" (status) -> "URL" (status) ...`,
// URLs quoted: after the first, the server chose them.
func describeChain(p *PlainProbe) string {
	var parts []string
	for _, h := range p.Hops {
		part := fmt.Sprintf("%q (%s)", h.URL, h.ErrKind)
		if h.Answered() {
			part = fmt.Sprintf("%q (%d)", h.URL, h.StatusCode)
		}
		parts = append(parts, part)
	}
	last := p.Hops[len(p.Hops)-1]
	if last.IsRedirect() {
		parts = append(parts, fmt.Sprintf("%q", last.Redirect))
	}
	s := strings.Join(parts, " -> ")
	if p.Loop {
		s += " (loop)"
	} else if p.Stopped != "" {
		s += " (" + p.Stopped + ")"
	}
	return s
}

func statusText(code int) string {
	if code == 0 {
		return "nothing"
	}
	return fmt.Sprint(code)
}

func schemeOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Scheme
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}
