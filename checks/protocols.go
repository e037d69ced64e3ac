package checks

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
)

// The protocol checks read the enumeration, where each version was offered
// on its own. The deprecated versions are one check each rather than one
// check with a finding per version: their severities and governing texts
// differ (SSL 3.0 is broken, RFC 7568; TLS 1.0 and 1.1 are deprecated, RFC
// 8996), and a team that must keep TLS 1.0 for one legacy client can skip
// or accept exactly protocol-tls10 without hiding a later SSL 3.0 regression.

// ProtocolSSL3 reports a server that accepts SSL 3.0.
var ProtocolSSL3 = acceptedVersionCheck(acceptedVersion{
	id:      "protocol-ssl3",
	version: tlsinfo.VersionSSL30,
	title:   "Server accepts SSL 3.0",
	grades:  same(scanner.High),
	description: "The server completes a ServerHello for SSL 3.0. SSL 3.0's CBC padding is " +
		"unauthenticated (POODLE), its only other cipher is RC4, and RFC 7568 forbids it. " +
		"An attacker in the path can force a downgrade to it when clients fall back. " +
		"Severity: high under every Mozilla profile (none allows SSL 3.0).",
	remediation: "Disable SSL 3.0 (nginx `ssl_protocols TLSv1.2 TLSv1.3;`, Apache " +
		"`SSLProtocol -all +TLSv1.2 +TLSv1.3`, Go `MinVersion: tls.VersionTLS12`).",
	refs: tlsRefs("https://www.rfc-editor.org/rfc/rfc7568", "https://www.openssl.org/~bodo/ssl-poodle.pdf",
		cve("CVE-2014-3566"), cve("CVE-2011-3389")),
	cwe: 327,
})

// ProtocolTLS10 reports a server that accepts TLS 1.0.
var ProtocolTLS10 = acceptedVersionCheck(acceptedVersion{
	id:      "protocol-tls10",
	version: tlsinfo.VersionTLS10,
	title:   "Server accepts TLS 1.0",
	grades:  graded{modern: scanner.High, intermediate: scanner.Medium, old: scanner.Low},
	description: "The server accepts TLS 1.0, deprecated by RFC 8996: its CBC suites have a " +
		"predictable IV (BEAST, CVE-2011-3389), its handshake relies on MD5 and SHA-1, and it has no AEAD " +
		"suites. Browsers removed it in 2020 and PCI DSS forbids it. Severity by Mozilla " +
		"profile: modern high (TLS 1.3 only), intermediate medium (TLS 1.2+), old low (allowed " +
		"for very old clients, reported so the debt stays visible).",
	remediation: "Disable TLS 1.0 and 1.1 and keep TLS 1.2 and 1.3 (nginx `ssl_protocols " +
		"TLSv1.2 TLSv1.3;`, Go `MinVersion: tls.VersionTLS12`). Check the server's access logs " +
		"for clients still negotiating it first.",
	refs: tlsRefs(rfc8996Ref, cve("CVE-2011-3389")),
	cwe:  327,
})

// ProtocolTLS11 reports a server that accepts TLS 1.1.
var ProtocolTLS11 = acceptedVersionCheck(acceptedVersion{
	id:      "protocol-tls11",
	version: tlsinfo.VersionTLS11,
	title:   "Server accepts TLS 1.1",
	grades:  graded{modern: scanner.High, intermediate: scanner.Medium, old: scanner.Low},
	description: "The server accepts TLS 1.1, deprecated by RFC 8996: it has no AEAD suites " +
		"and its handshake relies on MD5 and SHA-1. Hardly any client needs it: those that " +
		"lack TLS 1.2 mostly lack TLS 1.1 too. Severity by Mozilla profile: modern high, " +
		"intermediate medium, old low.",
	remediation: "Disable TLS 1.0 and 1.1 and keep TLS 1.2 and 1.3 (nginx `ssl_protocols " +
		"TLSv1.2 TLSv1.3;`, Go `MinVersion: tls.VersionTLS12`).",
	refs: tlsRefs(rfc8996Ref),
	cwe:  327,
})

// acceptedVersion describes a check that fires when a version is accepted.
type acceptedVersion struct {
	id, title, description, remediation string
	version                             uint16
	grades                              graded
	refs                                []string
	cwe                                 int
}

func acceptedVersionCheck(a acceptedVersion) *scanner.Check {
	return &scanner.Check{
		ID:          a.id,
		Title:       a.title,
		Severity:    a.grades.under(scanner.DefaultProfile),
		Description: a.description,
		Remediation: a.remediation,
		References:  a.refs,
		CWE:         a.cwe,
		Scheme:      mozillaScheme,
		Needs:       scanner.NeedEnumeration,
		Run: func(p *scanner.Pass) error {
			e := p.Result.Enum
			v, err := knownVersion(e, a.version)
			if v == nil || !v.Accepted {
				return err
			}
			sev := a.grades.under(p.Target.EffectiveProfile())
			if sev == 0 {
				return nil
			}
			var ss []enum.VersionedSuite
			for _, s := range v.Suites {
				ss = append(ss, enum.VersionedSuite{Version: v.Version, AcceptedSuite: s})
			}
			_, ev := suiteEvidence(p, ss)
			ev["versions"] = versionList(e.AcceptedVersions())
			if a := attacksOn(ss); a != "" {
				ev["attacks"] = a
			}
			p.Report(scanner.Finding{
				Severity: sev,
				Message:  fmt.Sprintf("server accepts %s (%d %s)", tlsinfo.VersionName(a.version), len(v.Suites), words.Plural(len(v.Suites), "suite", "suites")),
				Evidence: ev,
			})
			return nil
		},
	}
}

// ProtocolNoTLS12 reports a server that does not accept TLS 1.2.
var ProtocolNoTLS12 = &scanner.Check{
	ID:       "protocol-no-tls12",
	Title:    "Server does not accept TLS 1.2",
	Severity: scanner.High,
	Description: "The server refuses TLS 1.2. When its newest version is older, every " +
		"connection uses a deprecated protocol and current clients that require TLS 1.2 " +
		"cannot connect at all: high under the modern and intermediate Mozilla profiles, " +
		"medium under old. When it accepts TLS 1.3 instead, only clients without TLS 1.3 are " +
		"cut off: info under intermediate, low under old (which wants the widest reach), and " +
		"silent under modern (TLS 1.3 only).",
	Remediation: "Enable TLS 1.2 (nginx `ssl_protocols TLSv1.2 TLSv1.3;`); on old stacks this " +
		"may need a newer OpenSSL (1.0.1+) or OS TLS library.",
	References: tlsRefs("https://www.rfc-editor.org/rfc/rfc5246", rfc8996Ref),
	CWE:        327,
	Scheme:     mozillaScheme,
	Needs:      scanner.NeedEnumeration,
	Run: func(p *scanner.Pass) error {
		e := p.Result.Enum
		if v, err := knownVersion(e, tlsinfo.VersionTLS12); v == nil || v.Accepted {
			return err
		}
		g := graded{modern: scanner.High, intermediate: scanner.High, old: scanner.Medium}
		msg := ""
		if e.Accepts(tlsinfo.VersionTLS13) {
			g = graded{intermediate: scanner.Info, old: scanner.Low}
			msg = "server accepts TLS 1.3 but not TLS 1.2, so clients without TLS 1.3 cannot connect"
		}
		if sev := g.under(p.Target.EffectiveProfile()); sev != 0 {
			p.Report(refusedVersion(p, tlsinfo.VersionTLS12, sev, msg))
		}
		return nil
	},
}

// ProtocolNoTLS13 reports a server that does not accept TLS 1.3.
var ProtocolNoTLS13 = &scanner.Check{
	ID:       "protocol-no-tls13",
	Title:    "Server does not accept TLS 1.3",
	Severity: scanner.Low,
	Description: "The server refuses TLS 1.3, which removes every legacy algorithm, encrypts " +
		"the certificate and saves a round trip. Missing TLS 1.3 is not a vulnerability while " +
		"TLS 1.2 is configured well, so the severity is low under the intermediate Mozilla " +
		"profile and info under old; under modern, which allows TLS 1.3 only, it is medium.",
	Remediation: "Enable TLS 1.3 (nginx `ssl_protocols TLSv1.2 TLSv1.3;` with OpenSSL 1.1.1+, " +
		"Go does by default, Java 11+).",
	References: tlsRefs("https://www.rfc-editor.org/rfc/rfc8446"),
	Scheme:     mozillaScheme,
	Needs:      scanner.NeedEnumeration,
	Run: func(p *scanner.Pass) error {
		if v, err := knownVersion(p.Result.Enum, tlsinfo.VersionTLS13); v == nil || v.Accepted {
			return err
		}
		sev := graded{modern: scanner.Medium, intermediate: scanner.Low, old: scanner.Info}.under(p.Target.EffectiveProfile())
		p.Report(refusedVersion(p, tlsinfo.VersionTLS13, sev, ""))
		return nil
	},
}

// knownVersion is the enumeration's entry for version v when it says
// whether the server accepts v (Accepted). It is nil, with no error, when
// v was not probed: nothing to report. When v was not accepted because
// its probe failed, it is nil with the probe's error: the check cannot
// decide.
func knownVersion(e *enum.Enumeration, v uint16) (*enum.ProtocolSupport, error) {
	p := e.Version(v)
	if p == nil || p.Accepted || p.Error == "" {
		return p, nil
	}
	return nil, errors.New(p.Error)
}

// refusedVersion is the finding for a server that does not accept version
// v: msg, or by default that and the newest version it does accept; the
// accepted versions and the profile judged by are the evidence.
func refusedVersion(p *scanner.Pass, v uint16, sev scanner.Severity, msg string) scanner.Finding {
	accepted := p.Result.Enum.AcceptedVersions()
	if msg == "" {
		msg = "server does not accept " + tlsinfo.VersionName(v)
		if len(accepted) > 0 {
			msg += "; the newest version it accepts is " + tlsinfo.VersionName(slices.Max(accepted))
		}
	}
	return scanner.Finding{Severity: sev, Message: msg, Evidence: map[string]string{
		"versions": versionList(accepted),
		"profile":  p.Target.EffectiveProfile(),
	}}
}

func versionList(vs []uint16) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = tlsinfo.VersionName(v)
	}
	return strings.Join(names, ", ")
}
