package checks

import (
	"fmt"
	"strconv"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
)

// These checks look at the accepted suites together: whether anything
// better than CBC is available, whether key exchange is forward secret,
// how big the DH groups are, and what the server's own order puts first.

// CipherCBCOnly reports a server with no AEAD suite.
var CipherCBCOnly = &scanner.Check{
	ID:       "cipher-cbc-only",
	Title:    "Server offers only CBC-mode cipher suites (no AEAD)",
	Severity: scanner.Medium,
	Description: "Every suite the server accepts uses a block cipher in CBC mode with a " +
		"separate MAC (MAC-then-encrypt), the construction behind padding-oracle attacks such " +
		"as LUCKY13 (CVE-2013-0169) and POODLE-TLS (CVE-2014-8730); no AEAD suite (AES-GCM, ChaCha20-Poly1305, TLS 1.3) is " +
		"available, so even current clients use CBC. Medium under the modern and intermediate " +
		"Mozilla profiles (which list only AEAD suites for TLS 1.2), low under old.",
	Remediation: "Enable TLS 1.2 with ECDHE AES-GCM and ChaCha20-Poly1305 suites, and TLS 1.3 " +
		"(see the Mozilla configuration generator). CBC suites can stay for old clients under " +
		"the old profile, after the AEAD ones.",
	References: tlsRefs("https://www.rfc-editor.org/rfc/rfc7457#section-2.4", cve("CVE-2013-0169")),
	CWE:        327,
	Scheme:     mozillaScheme,
	Needs:      scanner.NeedEnumeration,
	Run: func(p *scanner.Pass) error {
		e := p.Result.Enum
		usable := suiteMatch(e, func(s tlsinfo.SuiteInfo) bool { return !s.Critical() })
		cbc := suiteMatch(e, func(s tlsinfo.SuiteInfo) bool { return !s.Critical() && s.CBC() })
		for _, s := range usable {
			if s.Info().AEAD() {
				return nil
			}
		}
		if len(cbc) == 0 {
			return e.Incomplete()
		}
		if err := e.Incomplete(); err != nil {
			return err // an AEAD suite may be among what could not be probed
		}
		names, ev := suiteEvidence(p, cbc)
		ev["attacks"] = attackLucky13
		if a := attacksOn(cbc); a != "" {
			ev["attacks"] += ", " + a
		}
		p.Report(scanner.Finding{
			Severity: graded{scanner.Medium, scanner.Medium, scanner.Low}.under(p.Target.EffectiveProfile()),
			Message:  "no AEAD suite available; the server accepts only CBC suites: " + names,
			Evidence: ev,
		})
		return nil
	},
}

// CipherNoForwardSecrecy reports static RSA, DH and ECDH key exchange.
var CipherNoForwardSecrecy = &scanner.Check{
	ID:       "cipher-no-forward-secrecy",
	Title:    "Server accepts key exchange without forward secrecy",
	Severity: scanner.Medium,
	Description: "The server accepts suites with static key exchange (RSA key transport, " +
		"static DH or ECDH): whoever obtains the server's private key later, by theft, " +
		"subpoena or a bug like Heartbleed, can decrypt every recorded session. Static RSA " +
		"also enables ROBOT-style oracle attacks. When some forward-secret suites are also " +
		"accepted: medium under the modern and intermediate Mozilla profiles, low under old " +
		"(which keeps AES128-SHA and friends for old clients). When none are: high, high and " +
		"medium.",
	Remediation: "Offer only ECDHE (and, if needed, DHE with 2048-bit groups) suites for TLS " +
		"1.2, and TLS 1.3 (OpenSSL: `!kRSA`). Go servers: drop the TLS_RSA_* suites from " +
		"CipherSuites.",
	References: tlsRefs("https://robotattack.org/"),
	CWE:        327,
	Scheme:     mozillaScheme,
	Needs:      scanner.NeedEnumeration,
	Run: func(p *scanner.Pass) error {
		e := p.Result.Enum
		static := suiteMatch(e, func(s tlsinfo.SuiteInfo) bool { return !s.Critical() && !s.ForwardSecret() })
		if len(static) == 0 {
			return e.Incomplete()
		}
		fs := suiteMatch(e, func(s tlsinfo.SuiteInfo) bool { return !s.Critical() && s.ForwardSecret() })
		g := graded{scanner.Medium, scanner.Medium, scanner.Low}
		msg := "server accepts %d %s without forward secrecy: %s"
		if len(fs) == 0 {
			g = graded{scanner.High, scanner.High, scanner.Medium}
			msg = "no suite with forward secrecy; the server accepts %d %s with static key exchange: %s"
		}
		names, ev := suiteEvidence(p, static)
		n := len(distinctIDs(static))
		p.Report(scanner.Finding{
			Severity: g.under(p.Target.EffectiveProfile()),
			Message:  fmt.Sprintf(msg, n, words.Plural(n, "suite", "suites"), names),
			Evidence: ev,
		})
		return nil
	},
}

// DHWeakGroup reports finite-field DHE groups under 2048 bits.
var DHWeakGroup = &scanner.Check{
	ID:       "dh-weak-group",
	Title:    "Server uses a Diffie-Hellman group smaller than 2048 bits",
	Severity: scanner.Medium,
	Description: "The server's DHE key exchange uses a prime under 2048 bits. 1024-bit groups " +
		"are within reach of state-level attackers, who can precompute once per prime and " +
		"then break each exchange quickly (LOGJAM, CVE-2015-4000); many servers share the same few primes. " +
		"Under 1024 bits: high under every profile. 1024-2047 bits: medium under the modern " +
		"and intermediate Mozilla profiles (which require 2048), low under old (which allows " +
		"1024).",
	Remediation: "Use the 2048-bit ffdhe2048 group of RFC 7919 (nginx `ssl_dhparam` with " +
		"Mozilla's ffdhe2048 file; Apache 2.4.7+ picks the size from the key), or drop DHE " +
		"suites in favour of ECDHE.",
	References: tlsRefs("https://weakdh.org/", "https://www.rfc-editor.org/rfc/rfc7919", cve("CVE-2015-4000")),
	CWE:        326,
	Scheme:     mozillaScheme,
	Needs:      scanner.NeedEnumeration,
	Run: func(p *scanner.Pass) error {
		e := p.Result.Enum
		var weak []enum.VersionedSuite
		smallest := 0
		for _, s := range e.AllSuites() {
			if s.DHBits > 0 && s.DHBits < 2048 && !s.Info().Critical() {
				weak = append(weak, s)
				if smallest == 0 || s.DHBits < smallest {
					smallest = s.DHBits
				}
			}
		}
		if len(weak) == 0 {
			return e.Incomplete()
		}
		g := graded{scanner.Medium, scanner.Medium, scanner.Low}
		if smallest < 1024 {
			g = same(scanner.High)
		}
		names, ev := suiteEvidence(p, weak)
		ev["dh_bits"] = strconv.Itoa(smallest)
		if smallest <= 1024 {
			ev["attacks"] = attackLogjam
		}
		p.Report(scanner.Finding{
			Severity: g.under(p.Target.EffectiveProfile()),
			Message:  fmt.Sprintf("server's DHE key exchange uses a %d-bit group (%s)", smallest, names),
			Evidence: ev,
		})
		return nil
	},
}

// CipherWeakPreferred reports a server whose own order puts a weaker suite
// before a stronger one it also accepts.
var CipherWeakPreferred = &scanner.Check{
	ID:       "cipher-weak-preferred",
	Title:    "Server prefers a weaker cipher suite over a stronger one it accepts",
	Severity: scanner.Medium,
	Description: "The server picks suites by its own order, and that order puts a weaker " +
		"suite before a stronger one it also accepts, so clients that offer both get the weak " +
		"one. Weakness ranks, worst first: NULL/anonymous/EXPORT; RC4 and single DES; 3DES; " +
		"no forward secrecy; CBC. Severity follows the preferred suite: high for the critical " +
		"classes, medium down to no forward secrecy, low for CBC preferred over AEAD. The " +
		"grading does not depend on the profile: every Mozilla profile orders strongest first.",
	Remediation: "Order the cipher list strongest first (ECDHE AEAD, then ECDHE CBC, then " +
		"legacy), or take the list from the Mozilla configuration generator. Servers with only " +
		"strong suites may leave the choice to the client, as the intermediate profile does.",
	References: tlsRefs("https://www.rfc-editor.org/rfc/rfc9325#section-4.2"),
	CWE:        757,
	Scheme:     mozillaScheme,
	Needs:      scanner.NeedEnumeration,
	Run: func(p *scanner.Pass) error {
		e := p.Result.Enum
		for _, v := range e.Versions {
			if v.SuitePreference != enum.PreferServer {
				continue
			}
			weak, strong, ok := inversion(v.Suites)
			if !ok {
				continue
			}
			w, s := tlsinfo.Suite(weak), tlsinfo.Suite(strong)
			sev := [...]scanner.Severity{0, scanner.Low, scanner.Medium, scanner.Medium, scanner.Medium, scanner.High}[w.Rank()]
			p.Report(scanner.Finding{
				Severity: sev,
				Message:  fmt.Sprintf("with %s the server prefers %s over %s", tlsinfo.VersionName(v.Version), w.Name, s.Name),
				Evidence: map[string]string{
					"version":   tlsinfo.VersionName(v.Version),
					"preferred": w.Name,
					"over":      s.Name,
					"profile":   p.Target.EffectiveProfile(),
				},
			})
		}
		return nil
	},
}

// inversion finds the first suite in server order that has a stronger
// suite after it, and the strongest such later suite.
func inversion(order []enum.AcceptedSuite) (weak, strong uint16, ok bool) {
	for i, a := range order {
		wa := a.Info().Rank()
		best := -1
		for j := i + 1; j < len(order); j++ {
			if w := order[j].Info().Rank(); w < wa && (best < 0 || w < order[best].Info().Rank()) {
				best = j
			}
		}
		if best >= 0 {
			return a.ID, order[best].ID, true
		}
	}
	return 0, 0, false
}
