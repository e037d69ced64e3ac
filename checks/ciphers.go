package checks

import (
	"fmt"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
)

// The cipher checks classify every accepted (version, suite) pair of the
// enumeration. A suite is reported under each weakness it has, except that
// suites in a critical class (NULL, anonymous, EXPORT) are reported only
// there: they must go whatever else is wrong with them, and listing an
// export RC4 suite again under RC4 and forward secrecy adds only noise.

// CipherNull reports NULL-encryption suites.
var CipherNull = suiteClassCheck(suiteClass{
	id:       "cipher-null",
	title:    "Server accepts cipher suites without encryption (NULL)",
	what:     "NULL-encryption",
	severity: scanner.Critical,
	match:    tlsinfo.SuiteInfo.NullCipher,
	grade:    func(tlsinfo.SuiteInfo) graded { return same(scanner.Critical) },
	description: "The server accepts a suite with the NULL cipher: records are authenticated " +
		"but sent in cleartext, so anyone on the path reads the traffic. Critical under every " +
		"Mozilla profile; BCP 195 says implementations MUST NOT negotiate them.",
	remediation: "Remove every NULL suite from the server's cipher list (OpenSSL: add `!eNULL:!aNULL`; " +
		"better, use the Mozilla configuration generator's list, which has none).",
	refs: tlsRefs(),
	cwe:  319,
})

// CipherExport reports export-grade suites.
var CipherExport = suiteClassCheck(suiteClass{
	id:       "cipher-export",
	title:    "Server accepts export-grade cipher suites",
	what:     "export-grade",
	severity: scanner.Critical,
	match:    tlsinfo.SuiteInfo.Export,
	grade:    func(tlsinfo.SuiteInfo) graded { return same(scanner.Critical) },
	description: "The server accepts a 1990s US-export suite: 40- or 56-bit keys and 512-bit " +
		"RSA or DH key exchange, broken in hours on commodity hardware. FREAK and Logjam let " +
		"an attacker in the path force them on clients that would never choose them " +
		"(FREAK, CVE-2015-0204, for RSA export; LOGJAM, CVE-2015-4000, for DHE export). " +
		"Critical under every Mozilla profile.",
	remediation: "Remove every EXPORT suite (OpenSSL: `!EXPORT`); no client has needed them " +
		"this century.",
	refs: tlsRefs("https://freakattack.com/", "https://weakdh.org/", cve("CVE-2015-0204"), cve("CVE-2015-4000")),
	cwe:  326,
})

// CipherAnonymous reports suites without server authentication.
var CipherAnonymous = suiteClassCheck(suiteClass{
	id:       "cipher-anonymous",
	title:    "Server accepts anonymous cipher suites (no authentication)",
	what:     "anonymous",
	severity: scanner.Critical,
	match:    tlsinfo.SuiteInfo.Anonymous,
	grade:    func(tlsinfo.SuiteInfo) graded { return same(scanner.Critical) },
	description: "The server accepts an anonymous (DH_anon, ECDH_anon) suite: it sends no " +
		"certificate, so a client cannot tell it from an attacker in the path, who can read " +
		"and change all traffic. Critical under every Mozilla profile.",
	remediation: "Remove every anonymous suite (OpenSSL: `!aNULL`).",
	refs:        tlsRefs("https://www.rfc-editor.org/rfc/rfc5246#appendix-F.1.1.1"),
	cwe:         322,
})

// CipherRC4 reports RC4 suites.
var CipherRC4 = suiteClassCheck(suiteClass{
	id:       "cipher-rc4",
	title:    "Server accepts RC4 cipher suites",
	what:     "RC4",
	severity: scanner.High,
	match:    func(s tlsinfo.SuiteInfo) bool { return s.RC4() && !s.Critical() },
	grade:    func(tlsinfo.SuiteInfo) graded { return same(scanner.High) },
	description: "The server accepts RC4, whose keystream biases let an attacker recover " +
		"cookies and passwords from repeated encryptions (CVE-2013-2566; Bar Mitzvah, " +
		"CVE-2015-2808). RFC 7465 prohibits RC4 in TLS. " +
		"High under every Mozilla profile (none allows it).",
	remediation: "Remove every RC4 suite (OpenSSL: `!RC4`).",
	refs:        tlsRefs("https://www.rfc-editor.org/rfc/rfc7465", cve("CVE-2013-2566"), cve("CVE-2015-2808")),
	cwe:         327,
})

// CipherDES reports single-DES and 3DES suites.
var CipherDES = suiteClassCheck(suiteClass{
	id:       "cipher-des",
	title:    "Server accepts DES or 3DES cipher suites (SWEET32)",
	what:     "DES/3DES",
	severity: scanner.High,
	match:    func(s tlsinfo.SuiteInfo) bool { return (s.DES() || s.TripleDES()) && !s.Critical() },
	grade: func(s tlsinfo.SuiteInfo) graded {
		if s.DES() {
			return same(scanner.High)
		}
		return graded{modern: scanner.Medium, intermediate: scanner.Medium, old: scanner.Low}
	},
	description: "The server accepts DES or 3DES. Their 64-bit block lets an attacker who " +
		"observes about 32 GB of one long-lived connection recover plaintext (SWEET32, " +
		"CVE-2016-2183); " +
		"single DES's 56-bit key is brute-forced outright. Single DES: high under every " +
		"profile. 3DES: medium under the modern and intermediate Mozilla profiles, low under " +
		"old (which keeps DES-CBC3-SHA for Windows XP-era clients).",
	remediation: "Remove DES and 3DES suites (OpenSSL: `!DES:!3DES`). Only IE 8 on Windows XP " +
		"needed 3DES; if such clients matter, use the Mozilla old profile on a separate host.",
	refs: tlsRefs("https://sweet32.info/", cve("CVE-2016-2183")),
	cwe:  327,
})

// suiteClass describes a check that fires when any accepted suite is in a
// class.
type suiteClass struct {
	id, title, what, description, remediation string
	// severity is the check's default: the worst grade under the
	// intermediate profile.
	severity scanner.Severity
	match    func(tlsinfo.SuiteInfo) bool
	grade    func(tlsinfo.SuiteInfo) graded
	refs     []string
	cwe      int
}

func suiteClassCheck(c suiteClass) *scanner.Check {
	return &scanner.Check{
		ID:          c.id,
		Title:       c.title,
		Severity:    c.severity,
		Description: c.description,
		Remediation: c.remediation,
		References:  c.refs,
		CWE:         c.cwe,
		Scheme:      mozillaScheme,
		Needs:       scanner.NeedEnumeration,
		Run: func(p *scanner.Pass) error {
			e := p.Result.Enum
			found := suiteMatch(e, c.match)
			if len(found) == 0 {
				return e.Incomplete()
			}
			profile := p.Target.EffectiveProfile()
			var sev scanner.Severity
			for _, s := range found {
				sev = max(sev, c.grade(s.Info()).under(profile))
			}
			if sev == 0 {
				return nil
			}
			names, ev := suiteEvidence(p, found)
			if a := attacksOn(found); a != "" {
				ev["attacks"] = a
			}
			n := len(distinctIDs(found))
			p.Report(scanner.Finding{
				Severity: sev,
				Message:  fmt.Sprintf("server accepts %d %s %s: %s", n, c.what, words.Plural(n, "suite", "suites"), names),
				Evidence: ev,
			})
			return nil
		},
	}
}

func distinctIDs(ss []enum.VersionedSuite) []uint16 {
	var ids []uint16
	seen := map[uint16]bool{}
	for _, s := range ss {
		if !seen[s.ID] {
			seen[s.ID] = true
			ids = append(ids, s.ID)
		}
	}
	return ids
}
