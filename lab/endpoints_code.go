package lab

import (
	"crypto/x509"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// codeEndpoints are servers scanned with pins an app's code sets for them
// (what `scan --discover` attaches to a discovered host).
func codeEndpoints() []*Endpoint {
	pinned := httpsEndpoint("app-pinned", "valid chain; the app trusts only the lab root for it (a Dart SecurityContext), which anchors the chain", nil, leaf(CertSpec{}))
	pinned.Target = func(env *Env, t *scanner.Target) {
		t.CodePins = []*appcode.PinSet{{
			Where: fileloc.Location{File: "lib/api/client.dart", Line: 12},
			Kind:  "Dart SecurityContext trusted certificates",
			Certs: []*x509.Certificate{env.PKI.Root.Cert},
		}}
	}
	stale := httpsEndpoint("app-pin-stale", "valid chain, but the app pins a key the server no longer serves (a rotation the app missed)", []string{"code-pin-mismatch"}, leaf(CertSpec{}))
	stale.Target = func(env *Env, t *scanner.Target) {
		t.CodePins = []*appcode.PinSet{{
			Where: fileloc.Location{File: "android/app/src/main/res/xml/network_security_config.xml", Line: 7},
			Kind:  "Android network security config <pin-set>",
			Hosts: []string{t.ServerName},
			SPKI:  []string{certinfo.SPKIPin(env.PKI.OtherInter.Cert)},
		}}
	}
	return []*Endpoint{pinned, stale}
}
