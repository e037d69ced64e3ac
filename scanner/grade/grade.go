// Package grade gives a target an overall letter the way SSL Labs' SSL
// Server Rating Guide and its later published changes do: a numerical
// score from protocol, key exchange and cipher strength, then caps (no
// TLS 1.2 → C, TLS 1.0 → B, RC4 → B …), then T for trust failures and M
// for a name mismatch. docs/grading.md lists every rule applied and every
// published rule that is not (what tlsaudit does not probe).
//
// It reads only what the scan observed, never the checks' findings, so a
// target's grade does not depend on its Mozilla profile or on which checks
// were selected.
package grade

import (
	"cmp"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
	"github.com/tlsaudit/tlsaudit/scanner/httpprobe"
)

// Grade is a target's letter and why.
type Grade struct {
	// Letter is "A+", "A", "B", "C", "D", "E", "F", "T" (trust failure)
	// or "M" (name mismatch); empty when the target could not be graded
	// (Ungraded says why).
	Letter string
	// IgnoringTrust is the letter if trust and name issues were ignored,
	// when Letter is T or M (SSL Labs: "If trust issues are ignored").
	IgnoringTrust string
	// Score is the numerical score (0-100) before caps.
	Score int
	// Reasons are the caps and failures applied, worst first, one
	// sentence each; empty for a plain A.
	Reasons  []string
	Ungraded string
}

// Input is what the scan observed of one target.
type Input struct {
	Handshake  *handshake.Handshake
	Enum       *enum.Enumeration
	HTTP       *httpprobe.Observation
	ServerName string
	Now        time.Time
}

// Letters from best to worst; T and M come last: a client that verifies
// cannot connect at all, whatever the configuration is worth.
var order = []string{"A+", "A", "A-", "B", "C", "D", "E", "F", "M", "T"}

// Rank is a letter's place from best (0) to worst; -1 for an unknown one.
func Rank(letter string) int { return slices.Index(order, letter) }

// Worse reports whether letter is worse than limit.
func Worse(letter, limit string) bool { return Rank(letter) > Rank(limit) }

// Valid reports whether s is a letter Grade gives.
func Valid(s string) bool { return Rank(s) >= 0 }

// Of grades one target.
func Of(in Input) Grade {
	h, e := in.Handshake, in.Enum
	switch {
	case e == nil && h == nil:
		return Grade{Ungraded: "no TLS handshake completed"}
	case e == nil:
		return Grade{Ungraded: "the protocol and cipher-suite enumeration did not run"}
	case len(e.AcceptedVersions()) == 0:
		return Grade{Ungraded: "the enumeration found no accepted protocol version"}
	}
	if err := e.Incomplete(); err != nil {
		return Grade{Ungraded: "the enumeration is incomplete: " + err.Error()}
	}
	var leaf *x509.Certificate
	if h != nil {
		leaf = h.Leaf()
	}
	g := &grader{}
	score := g.score(e, leaf)
	letter := fromScore(score)
	if letter != "A" {
		g.because(letter, fmt.Sprintf("the score is %d (protocol %d, key exchange %d, cipher strength %d)", score, g.proto, g.kex, g.cipher))
	}
	g.protocolCaps(e)
	g.suiteCaps(e)
	if leaf == nil {
		// Without the certificate only a failure is certain: nothing the
		// certificate could add makes an F better.
		if letter = g.capped(letter); letter == "F" {
			return Grade{Letter: letter, Score: score, Reasons: g.sorted()}
		}
		why := "no TLS handshake completed, so the certificate is not known"
		if h != nil {
			why = "the server's certificate could not be parsed"
		}
		return Grade{Ungraded: fmt.Sprintf("%s (from the protocols and suites alone: at best %s)", why, letter)}
	}
	g.certCaps(h, leaf)
	letter = g.capped(letter)
	if letter == "A" && g.plus(in, h) {
		letter = "A+"
	}
	out := Grade{Letter: letter, Score: score}
	if trust, why := trustIssue(in, h, leaf); trust != "" {
		out.IgnoringTrust, out.Letter = letter, trust
		g.because(trust, why)
	}
	out.Reasons = g.sorted()
	return out
}

// grader collects caps: the letter each imposes and why.
type grader struct {
	proto, kex, cipher int
	caps               []reason
}

type reason struct {
	letter, why string
}

func (g *grader) because(letter, why string) {
	g.caps = append(g.caps, reason{letter, why})
}

// capped is the worst of letter and every cap.
func (g *grader) capped(letter string) string {
	for _, c := range g.caps {
		if Worse(c.letter, letter) {
			letter = c.letter
		}
	}
	return letter
}

// sorted are the reasons worst first, each saying the letter it imposes.
func (g *grader) sorted() []string {
	caps := slices.Clone(g.caps)
	slices.SortStableFunc(caps, func(a, b reason) int { return cmp.Compare(Rank(b.letter), Rank(a.letter)) })
	out := make([]string, len(caps))
	for i, c := range caps {
		verb := "capped to " + c.letter
		if c.letter == "F" || c.letter == "T" || c.letter == "M" {
			verb = c.letter
		}
		out[i] = c.why + ": " + verb
	}
	return out
}

func fromScore(score int) string {
	switch {
	case score >= 80:
		return "A"
	case score >= 65:
		return "B"
	case score >= 50:
		return "C"
	case score >= 35:
		return "D"
	case score >= 20:
		return "E"
	}
	return "F"
}

// score is the rating guide's 30 % protocol + 30 % key exchange + 40 %
// cipher strength, zero when any of the three is zero.
func (g *grader) score(e *enum.Enumeration, leaf *x509.Certificate) int {
	versions := e.AcceptedVersions()
	g.proto = (protocolScore(slices.Max(versions)) + protocolScore(slices.Min(versions))) / 2

	kexBits := 1 << 20 // no certificate: the suites alone decide
	if leaf != nil {
		kexBits = keyStrength(leaf)
	}
	minBits, maxBits := -1, 0
	for _, s := range e.AllSuites() {
		info := s.Info()
		switch {
		case info.Anonymous():
			kexBits = 0
		case info.Export():
			kexBits = min(kexBits, 512)
		case info.FiniteFieldDH() && s.DHBits > 0:
			kexBits = min(kexBits, s.DHBits)
		}
		bits := cipherBits(info)
		if minBits < 0 || bits < minBits {
			minBits = bits
		}
		maxBits = max(maxBits, bits)
	}
	g.kex = kexScore(kexBits)
	g.cipher = (cipherScore(max(minBits, 0)) + cipherScore(maxBits)) / 2
	if g.proto == 0 || g.kex == 0 || g.cipher == 0 {
		return 0
	}
	return (30*g.proto + 30*g.kex + 40*g.cipher) / 100
}

func protocolScore(v uint16) int {
	switch v {
	case tlsinfo.VersionSSL30:
		return 80
	case tlsinfo.VersionTLS10:
		return 90
	case tlsinfo.VersionTLS11:
		return 95
	case tlsinfo.VersionTLS12, tlsinfo.VersionTLS13:
		return 100
	}
	return 0
}

// keyStrength is the leaf key's strength in RSA-equivalent bits (NIST SP
// 800-57: a 256-bit curve is worth 3072-bit RSA, 384 bits 7680).
func keyStrength(leaf *x509.Certificate) int {
	alg, bits := certinfo.KeyInfo(leaf)
	switch alg {
	case "ECDSA", "Ed25519":
		switch {
		case bits >= 512:
			return 15360
		case bits >= 384:
			return 7680
		case bits >= 256:
			return 3072
		case bits >= 224:
			return 2048
		}
		return 1024
	}
	return bits
}

func kexScore(bits int) int {
	switch {
	case bits <= 0:
		return 0
	case bits < 512:
		return 20
	case bits < 1024:
		return 40
	case bits < 2048:
		return 80
	case bits < 4096:
		return 90
	}
	return 100
}

// cipherBits is a suite's symmetric key size as the rating guide counts
// it (3DES as 168).
func cipherBits(s tlsinfo.SuiteInfo) int {
	c := s.Cipher
	switch {
	case s.NullCipher():
		return 0
	case s.Export(), strings.Contains(c, "_40"):
		return 40
	case s.DES():
		return 56
	case s.TripleDES():
		return 168
	case strings.Contains(c, "256"), strings.HasPrefix(c, "CHACHA20"):
		return 256
	}
	return 128
}

func cipherScore(bits int) int {
	switch {
	case bits <= 0:
		return 0
	case bits < 128:
		return 20
	case bits < 256:
		return 80
	}
	return 100
}

// protocolCaps are the version rules.
func (g *grader) protocolCaps(e *enum.Enumeration) {
	best := slices.Max(e.AcceptedVersions())
	switch {
	case best == tlsinfo.VersionSSL30:
		g.because("F", "SSL 3.0 is the best protocol the server accepts")
	case best < tlsinfo.VersionTLS12:
		g.because("C", "the server supports neither TLS 1.2 nor TLS 1.3")
	}
	if p := e.Version(tlsinfo.VersionSSL30); p != nil && p.Accepted {
		if slices.ContainsFunc(p.Suites, func(s enum.AcceptedSuite) bool { return s.Info().CBC() }) {
			g.because("C", "SSL 3.0 is accepted with CBC suites (POODLE)")
		} else {
			g.because("B", "SSL 3.0 is accepted")
		}
	}
	for _, v := range []uint16{tlsinfo.VersionTLS10, tlsinfo.VersionTLS11} {
		if e.Accepts(v) {
			g.because("B", tlsinfo.VersionName(v)+" is accepted")
		}
	}
}

// suiteCaps are the cipher-suite rules.
func (g *grader) suiteCaps(e *enum.Enumeration) {
	all := e.AllSuites()
	var rc4, onlyRC4, aead = false, len(all) > 0, false
	for _, s := range all {
		info := s.Info()
		if info.RC4() {
			rc4 = true
			if s.Version >= tlsinfo.VersionTLS11 {
				g.because("C", fmt.Sprintf("RC4 (%s) is accepted with %s", info.Name, tlsinfo.VersionName(s.Version)))
			}
		} else {
			onlyRC4 = false
		}
		aead = aead || info.AEAD()
	}
	switch {
	case onlyRC4:
		g.because("F", "the server accepts only RC4 suites")
	case rc4:
		g.because("B", "RC4 suites are accepted")
	}
	if !aead {
		g.because("B", "no authenticated-encryption (AEAD) suite is accepted")
	}
	for _, s := range all {
		if info := s.Info(); info.FiniteFieldDH() && s.DHBits > 0 && s.DHBits < 2048 {
			g.because("B", fmt.Sprintf("%s uses %d-bit DH parameters", info.Name, s.DHBits))
			break
		}
	}
	for _, p := range e.Versions {
		if !p.Accepted || p.Version < tlsinfo.VersionTLS11 {
			continue
		}
		for i, s := range p.Suites {
			if !s.Info().TripleDES() && !strings.HasPrefix(s.Info().Cipher, "IDEA") {
				continue
			}
			// SSL Labs penalises a 64-bit block cipher only when a client
			// can land on it: a server that orders it last is spared.
			if p.SuitePreference == enum.PreferServer && i == len(p.Suites)-1 && len(p.Suites) > 1 {
				continue
			}
			g.because("C", fmt.Sprintf("the 64-bit block cipher suite %s can be negotiated with %s (SWEET32)", s.Info().Name, tlsinfo.VersionName(p.Version)))
			break
		}
	}
	g.forwardSecrecy(e)
}

// forwardSecrecy caps to B when a current client would negotiate a suite
// without forward secrecy: at the best version, the server's first choice
// (server order) or every accepted suite (client order, where current
// clients pick a forward-secret one when there is one).
func (g *grader) forwardSecrecy(e *enum.Enumeration) {
	best := e.Version(slices.Max(e.AcceptedVersions()))
	if best == nil || len(best.Suites) == 0 {
		return
	}
	if best.SuitePreference == enum.PreferServer {
		if first := best.Suites[0].Info(); !first.ForwardSecret() {
			g.because("B", fmt.Sprintf("the server prefers %s, which has no forward secrecy, with %s", first.Name, tlsinfo.VersionName(best.Version)))
		}
		return
	}
	if !slices.ContainsFunc(best.Suites, func(s enum.AcceptedSuite) bool { return s.Info().ForwardSecret() }) {
		g.because("B", fmt.Sprintf("no forward-secret suite is accepted with %s", tlsinfo.VersionName(best.Version)))
	}
}

// certCaps are the certificate rules that are not trust: weak keys and
// signatures, revocation.
func (g *grader) certCaps(h *handshake.Handshake, leaf *x509.Certificate) {
	alg, bits := certinfo.KeyInfo(leaf)
	switch strength := keyStrength(leaf); {
	case strength < 1024:
		g.because("F", fmt.Sprintf("the server's %s key has %d bits", alg, bits))
	case strength < 2048:
		g.because("B", fmt.Sprintf("the server's %s key has %d bits", alg, bits))
	}
	for _, c := range certinfo.Path(h.Chain) {
		if w := certinfo.WeakHash(c.SignatureAlgorithm); w == "MD5" || w == "MD2" {
			if !(c != leaf && certinfo.SelfIssued(c)) {
				g.because("F", fmt.Sprintf("%q is signed with %s", c.Subject.String(), w))
			}
		}
	}
	if t := h.Trust; t.Status == handshake.TrustIncomplete && len(t.IssuerURLs) > 0 {
		g.because("B", fmt.Sprintf("the server does not send the intermediate %q (browsers fetch it from the leaf's issuer URL; most apps do not)", t.MissingIssuer))
	}
	for _, o := range []*certinfo.OCSP{h.StapledOCSP, onlineParsed(h)} {
		if o != nil && o.Status == "revoked" && o.SignatureVerified {
			g.because("F", "the leaf certificate is revoked")
			return
		}
	}
	for _, c := range h.CRLs {
		// A revocation stays true after the CRL listing it expires.
		if c.Revoked && c.SignatureVerified {
			g.because("F", "the leaf certificate is revoked")
			return
		}
	}
}

func onlineParsed(h *handshake.Handshake) *certinfo.OCSP {
	if h.OnlineOCSP == nil {
		return nil
	}
	return h.OnlineOCSP.Parsed
}

// plus is A+: HSTS with max-age of at least six months, and no SHA-1
// certificate in the served path.
func (g *grader) plus(in Input, h *handshake.Handshake) bool {
	for _, c := range certinfo.Path(h.Chain) {
		if certinfo.WeakHash(c.SignatureAlgorithm) != "" && !(c != h.Leaf() && certinfo.SelfIssued(c)) {
			return false
		}
	}
	if in.HTTP == nil || in.HTTP.HTTPS == nil || in.HTTP.HTTPS.HSTS == nil || !in.HTTP.HTTPS.CertVerified {
		return false
	}
	p := in.HTTP.HTTPS.HSTS
	return p.Valid && p.MaxAge >= hstsPlus
}

// hstsPlus is six months in seconds, SSL Labs' A+ threshold.
const hstsPlus = 15552000

// trustIssue is T when the chain does not verify (incomplete chains a
// browser completes through the leaf's AIA URL are capped to B instead,
// in certCaps) or a certificate is outside its validity window, M when
// the leaf does not cover the server name, else "".
func trustIssue(in Input, h *handshake.Handshake, leaf *x509.Certificate) (string, string) {
	for _, c := range certinfo.Path(h.Chain) {
		switch {
		case in.Now.After(c.NotAfter):
			return "T", fmt.Sprintf("%q expired on %s", c.Subject.String(), c.NotAfter.UTC().Format(time.DateOnly))
		case in.Now.Before(c.NotBefore):
			return "T", fmt.Sprintf("%q is not valid before %s", c.Subject.String(), c.NotBefore.UTC().Format(time.DateOnly))
		}
	}
	switch t := h.Trust; t.Status {
	case handshake.TrustOK:
	case handshake.TrustIncomplete:
		if len(t.IssuerURLs) == 0 {
			return "T", fmt.Sprintf("the chain is not trusted by %s: %s", t.Roots, t.Detail)
		}
	default:
		return "T", fmt.Sprintf("the chain is not trusted by %s: %s", t.Roots, cmp.Or(t.Detail, string(t.Status)))
	}
	if in.ServerName != "" && leaf.VerifyHostname(in.ServerName) != nil {
		return "M", fmt.Sprintf("the certificate does not cover %q", in.ServerName)
	}
	return "", ""
}
