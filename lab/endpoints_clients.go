package lab

import (
	"crypto/tls"

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
	return []*Endpoint{tls13Only, both, ats}
}
