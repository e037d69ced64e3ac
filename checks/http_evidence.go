package checks

import (
	"strconv"
	"strings"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/httpprobe"
)

// The HTTP checks read the scanner's HTTP observation (Result.HTTP). These
// helpers turn it into evidence: raw server bytes (status line, body
// prefix, Location), which report writers escape, never these helpers.

var hstsRefs = []string{
	"https://www.rfc-editor.org/rfc/rfc6797",
	"https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html",
	"https://infosec.mozilla.org/guidelines/web_security#http-strict-transport-security",
}

// exchangeEvidence describes one HTTP request and its answer.
func exchangeEvidence(ex *httpprobe.Exchange) map[string]string {
	ev := map[string]string{"url": ex.URL, "method": ex.Method}
	if ex.Answered() {
		ev["status_line"] = ex.StatusLine
	}
	if len(ex.BodyPrefix) > 0 {
		ev["body_prefix"] = string(ex.BodyPrefix)
		if ex.BodyTruncated {
			ev["body_truncated"] = "true"
		}
	}
	if loc := ex.Header.Get("Location"); loc != "" {
		ev["location"] = loc
	}
	if ex.HeadersWithheld != "" {
		// The answer is to a request without the target's headers (an
		// API gateway may answer 401 where it would otherwise not).
		ev["request_headers_withheld"] = ex.HeadersWithheld
	}
	return ev
}

// chainEvidence lists the URLs a plain-HTTP probe visited.
func chainEvidence(pl *httpprobe.PlainProbe) string {
	var urls []string
	for _, h := range pl.Hops {
		urls = append(urls, h.URL)
	}
	if last := pl.Hops[len(pl.Hops)-1]; last.IsRedirect() {
		urls = append(urls, last.Redirect)
	}
	return strings.Join(urls, " -> ")
}

// httpsProbe returns the HTTPS observation the HSTS checks read, or nil
// when they do not apply. err is set when they should apply but the
// request failed: the checks cannot decide.
func httpsProbe(p *scanner.Pass) (*httpprobe.HTTPSProbe, error) {
	obs := p.Result.HTTP
	if obs == nil || obs.HTTPS == nil {
		return nil, nil
	}
	hp := obs.HTTPS
	if !hp.Answered() {
		return nil, &undecided{hp.URL, hp.Err}
	}
	if p.Target.HTTPHostIsIP() {
		return nil, nil // RFC 6797 §8.1.1: browsers never note an IP address as an HSTS host
	}
	return hp, nil
}

type undecided struct{ url, err string }

func (u *undecided) Error() string {
	return "no HTTP answer from " + u.url + ": " + u.err + " (for a TLS service that does not speak HTTP, set protocol: tls)"
}

// hstsEvidence describes the HTTPS answer and its HSTS policy.
func hstsEvidence(hp *httpprobe.HTTPSProbe) map[string]string {
	ev := exchangeEvidence(hp.Exchange)
	delete(ev, "body_prefix")
	delete(ev, "body_truncated")
	ev["cert_verified"] = strconv.FormatBool(hp.CertVerified)
	if !hp.CertVerified {
		// RFC 6797 §8.1: a header received with a certificate error is
		// ignored, so the policy is not in force until the certificate is
		// fixed either.
		ev["cert_error"] = hp.CertError
	}
	if hp.HSTSFields > 1 {
		ev["hsts_fields"] = strconv.Itoa(hp.HSTSFields)
	}
	if pol := hp.HSTS; pol != nil {
		ev["header"] = pol.Raw
		if pol.Valid {
			ev["max_age"] = strconv.FormatInt(pol.MaxAge, 10)
		}
		ev["include_subdomains"] = strconv.FormatBool(pol.IncludeSubDomains)
		ev["preload"] = strconv.FormatBool(pol.Preload)
		if len(pol.Unknown) > 0 {
			ev["unknown_directives"] = strings.Join(pol.Unknown, " ")
		}
	}
	return ev
}

// humanSeconds renders a max-age for a message: "86400 seconds (1 day)".
func humanSeconds(s int64) string {
	const hour, day = 60 * 60, 24 * 60 * 60
	n := strconv.FormatInt(s, 10) + " seconds"
	switch {
	case s >= 2*day:
		return n + " (" + strconv.FormatInt(s/day, 10) + " days)"
	case s >= day:
		return n + " (1 day)"
	case s >= 2*hour:
		return n + " (" + strconv.FormatInt(s/hour, 10) + " hours)"
	}
	return n
}
