package checks

import (
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
)

// The named attacks behind weak protocols and suites are not checks of
// their own: each is a consequence of a fact an existing check already
// reports, so it goes into that finding's evidence ("attacks") and the
// check's references, and a search for "POODLE" in a report finds the
// finding without a duplicate. LUCKY13 cannot be confirmed remotely (it
// is a timing side channel, patched in place), so it is named only on the
// CBC-only finding, as the reason CBC is a weakness.
const (
	attackPOODLE  = "POODLE (CVE-2014-3566)"
	attackBEAST   = "BEAST (CVE-2011-3389)"
	attackLucky13 = "LUCKY13 (CVE-2013-0169)"
	attackSweet32 = "SWEET32 (CVE-2016-2183)"
	attackFREAK   = "FREAK (CVE-2015-0204)"
	attackLogjam  = "LOGJAM (CVE-2015-4000)"
	attackRC4     = "RC4 biases (CVE-2013-2566, CVE-2015-2808 Bar Mitzvah)"
)

// attacksOn names the attacks the accepted suites ss expose, in a fixed
// order, joined for evidence; "" when none applies.
func attacksOn(ss []enum.VersionedSuite) string {
	has := map[string]bool{}
	for _, s := range ss {
		info := s.Info()
		if info.CBC() && s.Version == tlsinfo.VersionSSL30 {
			has[attackPOODLE] = true
		}
		if info.CBC() && s.Version <= tlsinfo.VersionTLS10 {
			has[attackBEAST] = true
		}
		if info.DES() || info.TripleDES() {
			has[attackSweet32] = true
		}
		if info.Export() && info.Kex == "RSA" {
			has[attackFREAK] = true
		}
		if info.Export() && strings.HasPrefix(info.Kex, "DH") {
			has[attackLogjam] = true
		}
		if info.RC4() {
			has[attackRC4] = true
		}
	}
	var out []string
	for _, a := range []string{attackPOODLE, attackBEAST, attackSweet32, attackFREAK, attackLogjam, attackRC4} {
		if has[a] {
			out = append(out, a)
		}
	}
	return strings.Join(out, ", ")
}
