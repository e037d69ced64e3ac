package checks

import (
	"errors"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/httpprobe"
)

// HTTPPlaintextFallback reports a host whose plain-HTTP port serves the
// application, or redirects to another plain-HTTP URL, instead of sending
// clients to https:// on the same host. The scanner's plain-HTTP probe
// decides (httpprobe.PlainVerdict); this check reports its problems. No
// listener on the HTTP port, or an error status unlike the HTTPS one, is
// fine and stays a fact in the JSON report.
var HTTPPlaintextFallback = &scanner.Check{
	ID:       "http-plaintext-fallback",
	Title:    "Plain HTTP serves the host instead of redirecting to HTTPS",
	Severity: scanner.High,
	Description: "A request to http:// (port 80 unless the target says otherwise) gets an answer " +
		"over plain HTTP — content, a credentials challenge, the same answer HTTPS gives — or is " +
		"redirected to another plain-HTTP URL, instead of being refused or redirected to https:// " +
		"on the same host. A client configured with an http:// URL, or downgraded by an attacker on " +
		"the network (SSL stripping), then sends requests, tokens and data in cleartext and gets " +
		"answers anyone on the path can read and change. A redirect chain that ends on HTTPS but " +
		"passes through another plain-HTTP hop is reported at medium severity.",
	Remediation: "For an API, close the plain-HTTP port or answer every plain request with an error " +
		"(403 or 426) so misconfigured clients fail loudly instead of leaking credentials. For a " +
		"site, answer every plain-HTTP request with a permanent redirect (301 or 308) straight to " +
		"the same host and path over `https://`, and send Strict-Transport-Security over HTTPS.",
	References: []string{
		"https://www.rfc-editor.org/rfc/rfc6797#section-7.2",
		"https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
		"https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#https",
		"https://cwe.mitre.org/data/definitions/319.html",
	},
	CWE:   319,
	Needs: scanner.NeedHTTP | scanner.NeedPlainHTTP,
	Run: func(p *scanner.Pass) error {
		pl := p.Result.HTTP.Plain
		if pl == nil {
			return nil
		}
		switch {
		case pl.Verdict == httpprobe.PlainUndecided:
			return errors.New(pl.Detail)
		case !pl.Verdict.Problem():
			return nil
		}
		first, last := pl.Hops[0], pl.Hops[len(pl.Hops)-1]
		shown := first
		if pl.Verdict == httpprobe.PlainAnswers {
			shown = last // the hop that answered in plaintext
		}
		ev := exchangeEvidence(shown)
		ev["verdict"] = string(pl.Verdict)
		if len(pl.Hops) > 1 || first.IsRedirect() {
			ev["redirect_chain"] = chainEvidence(pl)
		}
		if pl.Loop {
			ev["loop"] = "true"
		}
		sev := scanner.High
		if pl.Verdict == httpprobe.PlainRedirectsToHTTP && !pl.Loop && endsOnHTTPS(pl) {
			sev = scanner.Medium
		}
		p.Report(scanner.Finding{Severity: sev, Message: first.URL + " " + pl.Detail, Evidence: ev})
		return nil
	},
}

// endsOnHTTPS reports whether the chain's last stop is an https:// URL.
func endsOnHTTPS(pl *httpprobe.PlainProbe) bool {
	last := pl.Hops[len(pl.Hops)-1]
	dest := last.URL
	if last.IsRedirect() {
		dest = last.Redirect
	}
	return len(dest) > 8 && dest[:8] == "https://"
}
