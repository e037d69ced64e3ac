package checks

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// HostnameMismatch reports a leaf whose subjectAltNames do not cover the
// name clients ask for. It compares against the target's server name (the
// SNI), never the dialed IP, and uses crypto/x509's matcher: RFC 6125
// wildcards (one whole left-most label) and no fallback to the subject CN,
// as current browsers and Go, Android and iOS clients behave.
var HostnameMismatch = &scanner.Check{
	ID:       "hostname-mismatch",
	Title:    "Certificate does not cover the server name",
	Severity: scanner.High,
	Description: "The certificate's subject alternative names do not include the name clients " +
		"connect to, so clients that verify certificates refuse the connection, and clients " +
		"that don't cannot tell this server from an impostor. A name only in the subject CN " +
		"does not count: clients have ignored the CN since RFC 6125 and CA/B Forum rules " +
		"require the SAN.",
	Remediation: "Reissue the certificate with the server name in its subjectAltName extension " +
		"(a DNS name, or an IP address for endpoints reached by IP). A wildcard covers exactly " +
		"one label: *.example.com covers api.example.com, not a.b.example.com or example.com.",
	References: []string{
		"https://www.rfc-editor.org/rfc/rfc6125#section-6.4",
		"https://www.rfc-editor.org/rfc/rfc2818#section-3.1",
	},
	CWE:   297,
	Needs: scanner.NeedHandshake,
	Run: func(p *scanner.Pass) error {
		leaf, err := parsedLeaf(p.Handshake())
		if err != nil {
			return err
		}
		name := p.Target.ServerName
		if err := leaf.VerifyHostname(name); err == nil {
			return nil
		}
		// A new slice: appending to leaf.DNSNames could write into the
		// certificate's own backing array.
		ips := make([]string, len(leaf.IPAddresses))
		for i, ip := range leaf.IPAddresses {
			ips[i] = ip.String()
		}
		names := slices.Concat(leaf.DNSNames, ips)
		ev := map[string]string{
			"servername": name,
			"sans":       strings.Join(names, " "),
			"subject_cn": leaf.Subject.CommonName,
		}
		quoted := make([]string, len(names))
		for i, n := range names {
			quoted[i] = strconv.Quote(n)
		}
		msg := fmt.Sprintf("certificate covers %s, not %q", strings.Join(quoted, ", "), name)
		if len(names) == 0 {
			msg = fmt.Sprintf("certificate has no subjectAltName; its subject CN %q is ignored by clients", leaf.Subject.CommonName)
			if strings.EqualFold(leaf.Subject.CommonName, name) {
				msg = fmt.Sprintf("%q appears only in the subject CN, which clients ignore; the certificate has no subjectAltName", name)
			}
		}
		p.Report(scanner.Finding{Message: msg, Evidence: ev})
		return nil
	},
}
