package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// CodePinning records where the app pins certificates: a fact, not a
// problem, but one an operator must know before rotating a certificate.
// code-pin-mismatch then compares the pins with what each host serves.
var CodePinning = &scanner.Check{
	ID:       "code-pinning",
	Title:    "App pins certificates or keys for its hosts",
	Severity: scanner.Info,
	Description: "The app pins: an Android network security config <pin-set>, an OkHttp " +
		"CertificatePinner, or a Dart SecurityContext that trusts only the certificates it is " +
		"given. Pinning defeats interception by a rogue CA, but the app then refuses its own " +
		"server once the server's key or CA changes, unless the pins already include the new one. " +
		"This finding lists the pins and the hosts they cover so a rotation can be planned; when " +
		"a scanned host serves none of them, code-pin-mismatch reports it.",
	Remediation: "Keep at least one backup pin (a key held offline, or the CA's key) in every " +
		"pin set, give Android pin-sets an expiration, and update the app before rotating to a " +
		"key it does not pin.",
	References: []string{
		refAndroidNSC,
		"https://square.github.io/okhttp/3.x/okhttp/okhttp3/CertificatePinner.html",
		"https://api.dart.dev/stable/dart-io/SecurityContext/setTrustedCertificatesBytes.html",
		"https://owasp.org/www-community/controls/Certificate_and_Public_Key_Pinning",
	},
	Needs: scanner.NeedSource,
	Run: func(p *scanner.Pass) error {
		for _, ps := range source(p).PinSets {
			ev := map[string]string{"kind": ps.Kind}
			if len(ps.SPKI) > 0 {
				ev["pins"] = strings.Join(ps.SPKI, ",")
			}
			if len(ps.Hosts) > 0 {
				ev["hosts"] = strings.Join(ps.Hosts, ",")
			}
			if !ps.Expires.IsZero() {
				ev["expires"] = ps.Expires.Add(-24 * time.Hour).Format("2006-01-02")
			}
			p.Report(scanner.Finding{Location: ps.Where, Evidence: ev, Message: pinSummary(ps, p.Now)})
		}
		return nil
	},
}

func pinSummary(ps *appcode.PinSet, now time.Time) string {
	hosts := "the hosts this file names"
	if len(ps.Hosts) > 0 {
		hosts = strings.Join(ps.Hosts, ", ")
	}
	var what string
	switch {
	case ps.Unresolved != "":
		what = fmt.Sprintf("%s pins certificates for %s, but %s", ps.Kind, hosts, ps.Unresolved)
	case len(ps.Certs) > 0:
		what = fmt.Sprintf("%s: only %d %s trusted for %s", ps.Kind, len(ps.Certs), words.Plural(len(ps.Certs), "certificate is", "certificates are"), hosts)
	default:
		what = fmt.Sprintf("%s pins %d %s for %s", ps.Kind, len(ps.SPKI), words.Plural(len(ps.SPKI), "key", "keys"), hosts)
	}
	switch {
	case ps.Unresolved == "" && ps.Keys() == 1:
		what += " (no backup pin)"
	case !ps.Expires.IsZero() && now.After(ps.Expires):
		what += fmt.Sprintf(" (expired %s: no longer enforced)", ps.Expires.Add(-24*time.Hour).Format("2006-01-02"))
	}
	return what
}
