package checks

import (
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
)

// TestProtocolMessages pins what the protocol checks say, and that each of
// them is undecided, not silent, when the probe of its version failed.
func TestProtocolMessages(t *testing.T) {
	tls10 := map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS10: suites(ecdheCBC), tlsinfo.VersionTLS11: suites(ecdheCBC, ecdheGCM)}
	tls13only := map[uint16][]enum.AcceptedSuite{tlsinfo.VersionTLS13: suites(tls13AES)}
	cases := []struct {
		check    *scanner.Check
		versions map[uint16][]enum.AcceptedSuite
		msg      string
	}{
		{ProtocolTLS10, tls10, "server accepts TLS 1.0 (1 suite)"},
		{ProtocolTLS11, tls10, "server accepts TLS 1.1 (2 suites)"},
		{ProtocolNoTLS12, tls10, "server does not accept TLS 1.2; the newest version it accepts is TLS 1.1"},
		{ProtocolNoTLS12, tls13only, "server accepts TLS 1.3 but not TLS 1.2, so clients without TLS 1.3 cannot connect"},
		{ProtocolNoTLS13, tls10, "server does not accept TLS 1.3; the newest version it accepts is TLS 1.1"},
		{ProtocolNoTLS13, nil, "server does not accept TLS 1.3"},
	}
	for _, c := range cases {
		var got []scanner.Finding
		r := enumResult(scanner.ProfileOld, c.versions)
		if err := c.check.Run(scanner.NewPass(c.check, r, time.Now(), func(f scanner.Finding) { got = append(got, f) })); err != nil || len(got) != 1 || got[0].Message != c.msg {
			t.Errorf("%s: %v, %+v; want %q", c.check.ID, err, got, c.msg)
		} else if got[0].Evidence["versions"] == "" && c.versions != nil {
			t.Errorf("%s: evidence %v lacks the accepted versions", c.check.ID, got[0].Evidence)
		}
	}
	for _, c := range []struct {
		check   *scanner.Check
		version uint16
	}{{ProtocolSSL3, tlsinfo.VersionSSL30}, {ProtocolTLS10, tlsinfo.VersionTLS10}, {ProtocolNoTLS12, tlsinfo.VersionTLS12}, {ProtocolNoTLS13, tlsinfo.VersionTLS13}} {
		r := enumResult(scanner.ProfileOld, nil)
		r.Enum.Version(c.version).Error = "probe timed out"
		err := c.check.Run(scanner.NewPass(c.check, r, time.Now(), func(f scanner.Finding) { t.Errorf("%s: finding %+v", c.check.ID, f) }))
		if err == nil || err.Error() != "probe timed out" {
			t.Errorf("%s with a failed probe: %v, want the probe's error", c.check.ID, err)
		}
	}
}
