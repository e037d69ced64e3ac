package checks

import (
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
)

// The protocol and cipher checks grade findings by the Mozilla server-side
// TLS profile the target is held to (Target.Profile, "intermediate" by
// default). Mozilla's guidelines say what each profile allows; they do not
// rate violations, so the mapping used here is:
//
//   - broken everywhere (no encryption, no authentication, export-grade,
//     SSL 3.0, RC4, single DES, DH under 1024 bits): critical or high under
//     every profile, because no profile allows them;
//   - allowed by "old" only (TLS 1.0/1.1, 3DES, static RSA, CBC-only, DH
//     of 1024-2047 bits): medium under "intermediate", high or medium under
//     "modern", and low under "old", where it is accepted but still
//     reported so that the debt stays visible;
//   - best practice beyond the profile (TLS 1.3 missing): low under
//     "intermediate", medium under "modern", info under "old".
//
// The table of each check is in its description, so `tlsaudit checks`
// shows it.
const mozillaScheme = "Mozilla server-side TLS 5.7 (profile per target: modern, intermediate, old)"

const (
	mozillaRef  = "https://wiki.mozilla.org/Security/Server_Side_TLS"
	mozillaJSON = "https://ssl-config.mozilla.org/guidelines/5.7.json"
	bcp195Ref   = "https://www.rfc-editor.org/rfc/rfc9325#section-4.1"
	rfc8996Ref  = "https://www.rfc-editor.org/rfc/rfc8996"
)

// tlsRefs are the check's own references followed by BCP 195 and the
// Mozilla guidelines its severities follow.
func tlsRefs(extra ...string) []string {
	return append(append([]string{}, extra...), bcp195Ref, mozillaRef, mozillaJSON)
}

// graded is a severity per profile; 0 means the profile allows it and the
// check stays silent.
type graded struct{ modern, intermediate, old scanner.Severity }

func (g graded) under(profile string) scanner.Severity {
	switch profile {
	case scanner.ProfileModern:
		return g.modern
	case scanner.ProfileOld:
		return g.old
	}
	return g.intermediate
}

func same(s scanner.Severity) graded { return graded{s, s, s} }

// The enumeration checks read p.Result.Enum directly: they Need it, and
// the scanner runs a check only when what it Needs is there (a failed
// enumeration is a check error before Run).

// suiteMatch is every accepted (version, suite) pair a predicate selects.
func suiteMatch(e *enum.Enumeration, keep func(tlsinfo.SuiteInfo) bool) []enum.VersionedSuite {
	var out []enum.VersionedSuite
	for _, s := range e.AllSuites() {
		if keep(s.Info()) {
			out = append(out, s)
		}
	}
	return out
}

// suiteEvidence lists suites for a finding: distinct names in the message,
// and per version in the evidence.
func suiteEvidence(p *scanner.Pass, ss []enum.VersionedSuite) (names string, ev map[string]string) {
	var distinct, perVersion []string
	byVersion := map[uint16][]string{}
	var order []uint16
	for _, s := range ss {
		name := s.Info().Name
		if !slices.Contains(distinct, name) {
			distinct = append(distinct, name)
		}
		if _, ok := byVersion[s.Version]; !ok {
			order = append(order, s.Version)
		}
		byVersion[s.Version] = append(byVersion[s.Version], name)
	}
	for _, v := range order {
		perVersion = append(perVersion, tlsinfo.VersionName(v)+": "+strings.Join(byVersion[v], " "))
	}
	return strings.Join(distinct, ", "), map[string]string{
		"suites":  strings.Join(perVersion, "; "),
		"profile": p.Target.EffectiveProfile(),
	}
}
