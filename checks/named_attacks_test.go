package checks

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
)

// TestNamedAttacksInEvidence: each named attack shows in the evidence of
// the one existing check whose fact it rests on, and nowhere it does not
// apply.
func TestNamedAttacksInEvidence(t *testing.T) {
	const (
		rsaExportRC4 = 0x0003 // TLS_RSA_EXPORT_WITH_RC4_40_MD5
		dheExportDES = 0x0014 // TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA
		ecdheRC4     = 0xC011 // TLS_ECDHE_RSA_WITH_RC4_128_SHA
		ecdhe3DES    = 0xC012 // TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA
	)
	cases := []struct {
		check    *scanner.Check
		versions map[uint16][]enum.AcceptedSuite
		want     string // "" = no attacks evidence
	}{
		{ProtocolSSL3, map[uint16][]enum.AcceptedSuite{tlsinfo.VersionSSL30: suites(ecdheCBC)}, "POODLE (CVE-2014-3566), BEAST (CVE-2011-3389)"},
		{ProtocolTLS10, map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS10: suites(ecdheCBC)}, "BEAST (CVE-2011-3389)"},
		{ProtocolTLS11, map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS11: suites(ecdheCBC)}, ""},
		{CipherCBCOnly, map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS12: suites(ecdheCBC)}, "LUCKY13 (CVE-2013-0169)"},
		{CipherDES, map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS12: suites(ecdheGCM, ecdhe3DES)}, "SWEET32 (CVE-2016-2183)"},
		{CipherRC4, map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS12: suites(ecdheGCM, ecdheRC4)}, "RC4 biases (CVE-2013-2566, CVE-2015-2808 Bar Mitzvah)"},
		{CipherExport, map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS10: suites(rsaExportRC4)}, "FREAK (CVE-2015-0204), RC4 biases (CVE-2013-2566, CVE-2015-2808 Bar Mitzvah)"},
		{CipherExport, map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS10: suites(dheExportDES)}, "BEAST (CVE-2011-3389), SWEET32 (CVE-2016-2183), LOGJAM (CVE-2015-4000)"},
		{DHWeakGroup, map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS12: {{ID: dheGCM, DHBits: 1024}}}, "LOGJAM (CVE-2015-4000)"},
		{DHWeakGroup, map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS12: {{ID: dheGCM, DHBits: 1536}}}, ""},
	}
	for _, c := range cases {
		var got []scanner.Finding
		r := enumResult(scanner.ProfileOld, c.versions)
		if err := c.check.Run(scanner.NewPass(c.check, r, time.Now(), func(f scanner.Finding) { got = append(got, f) })); err != nil || len(got) != 1 {
			t.Errorf("%s: %v, %d findings; want one", c.check.ID, err, len(got))
			continue
		}
		if a := got[0].Evidence["attacks"]; a != c.want {
			t.Errorf("%s %v: attacks %q, want %q", c.check.ID, c.versions, a, c.want)
		}
		for _, id := range regexp.MustCompile(`CVE-\d+-\d+`).FindAllString(c.want, -1) {
			if !slices.Contains(c.check.References, cve(id)) && !strings.Contains(c.want, "RC4") && !strings.Contains(c.want, "SWEET32") {
				t.Errorf("%s: %s in evidence but not in the references", c.check.ID, id)
			}
		}
	}
}
