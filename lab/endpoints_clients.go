package lab

import (
	"crypto/tls"
	"crypto/x509"
	"strconv"
	"strings"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// clientEndpoints are the endpoints of client simulation
// (client-incompatible): each declares the clients an app supports, as
// scan --discover does from the app's minimum platforms. The lab's
// private root is given to every client (the target's ca), so only the
// handshake parameters decide; trust-store cases are tested in
// scanner/clientsim with synthetic stores, since the lab holds no real
// CA's key.
func clientEndpoints() []*Endpoint {
	declare := func(clients ...string) func(*Env, *scanner.Target) {
		return func(_ *Env, t *scanner.Target) { t.Clients = clients }
	}
	tls13Only := goTLSEndpoint("tls13-only-java8", "TLS 1.3 only, for an app whose clients include Java 8 before 8u261 (TLS 1.2 at most)",
		[]string{"client-incompatible", "protocol-no-tls12"}, goTLS{min: tls.VersionTLS13, max: tls.VersionTLS13})
	tls13Only.Target = declare("java-8u161", "java-17")
	both := goTLSEndpoint("clients-all-connect", "TLS 1.2 and 1.3 with ECDHE-ECDSA-AES-GCM, for an app supporting Android 7.0+, iOS 15+ and Java 8",
		nil, goTLS{min: tls.VersionTLS12, max: tls.VersionTLS13})
	both.Target = declare("android-24", "android-30", "ios-15", "java-8u161", "okhttp-3")
	// App Transport Security: TLS 1.2 with static-RSA suites only, for an
	// app supporting iOS 15+; ATS offers only ECDHE suites, so the app's
	// connections fail (clients-all-connect, which declares ios-15 too, is
	// where it stays silent).
	ats := goTLSEndpoint("ats-static-rsa", "TLS 1.2 with static-RSA suites only, for an app supporting iOS 15+: App Transport Security refuses it",
		[]string{"ats-noncompliant", "cipher-no-forward-secrecy", "client-incompatible", "protocol-no-tls13"},
		goTLS{min: tls.VersionTLS12, max: tls.VersionTLS12, rsa: true,
			suites: []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384}})
	ats.Target = declare("ios-15")
	// A root only Android 7.1 (API 25) and later trust, as ISRG Root X1
	// is: the lab root stands in for it, added to the android-25+ store
	// snapshots only (Target.StoreRoots), and the target is verified
	// against the system roots (no ca), as for a public host. An app
	// supporting Android 7.0 fails; the scan's own verdict is an unknown
	// root. The lab's resolver is needed for the stand-in to mean
	// anything, so the lab's targets file lists it as a comment.
	android71 := httpsEndpoint("root-android-7.1-only", "chain to a root only Android 7.1+ stores hold (lab root added to android-25 and later), for an app supporting Android 7.0+",
		[]string{"client-incompatible", "chain-untrusted-root"}, leaf(CertSpec{}))
	android71.Target = func(env *Env, t *scanner.Target) {
		t.Host, t.Roots, t.RootsName = t.ServerName, nil, ""
		t.Clients = []string{"android-24", "android-25", "android-30"}
		t.StoreRoots = func(id string) []*x509.Certificate {
			if n, ok := strings.CutPrefix(id, "android-"); ok {
				if api, err := strconv.Atoi(n); err == nil && api >= 25 {
					return []*x509.Certificate{env.PKI.Root.Cert}
				}
			}
			return nil
		}
	}
	return []*Endpoint{tls13Only, both, ats, android71}
}
