package checks

import (
	"fmt"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// TLSPortSpeaksHTTP reports a TLS port that answers in plaintext HTTP: a
// load balancer or proxy that forwards to the backend's plain-HTTP port,
// or a TLS listener that was never configured. The shared handshake
// already fails with error kind not-tls, which keeps the target's row an
// error (no certificate was checked); this finding names the
// misconfiguration, carries the answer as evidence, and counts against
// --fail-on even with --errors-fail=false. It runs only for targets whose
// protocol is https: a port that is not HTTP does not get an HTTP request.
var TLSPortSpeaksHTTP = &scanner.Check{
	ID:       "tls-port-speaks-http",
	Title:    "TLS port answers in plaintext HTTP",
	Severity: scanner.High,
	Description: "The port clients reach with https:// answers a plaintext HTTP request. Clients " +
		"that use TLS cannot connect at all (an outage), and a client that falls back to plain " +
		"HTTP on that port — or a proxy or health check configured with http:// — sends and " +
		"receives everything in cleartext on a port everyone believes is encrypted. It usually " +
		"means a load balancer listener forwards TLS traffic to the backend's plain-HTTP port, or " +
		"terminates nothing.",
	Remediation: "Configure the listener on this port to terminate TLS with the service's " +
		"certificate (or to pass TLS through to a backend that terminates it), and keep plain " +
		"HTTP on its own port, redirecting to HTTPS.",
	References: []string{
		"https://www.rfc-editor.org/rfc/rfc9110#section-4.2.2",
		"https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
		"https://cwe.mitre.org/data/definitions/319.html",
	},
	CWE:   319,
	Needs: scanner.NeedHTTP,
	Run: func(p *scanner.Pass) error {
		ex := p.Result.HTTP.TLSPortPlaintext
		if ex == nil {
			return nil
		}
		if !ex.Answered() {
			return fmt.Errorf("the TLS port answered the handshake in plaintext HTTP, but a plaintext request to it failed: %s", ex.Err)
		}
		p.Report(scanner.Finding{
			Message:  fmt.Sprintf("port %d answers plaintext HTTP (%q) where clients expect TLS", p.Target.Port, ex.StatusLine),
			Evidence: exchangeEvidence(ex),
		})
		return nil
	},
}
