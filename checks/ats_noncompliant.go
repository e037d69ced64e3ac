package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/clientdata"
	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// ATSNoncompliant applies Apple's App Transport Security requirements to
// hosts an iOS or macOS app calls: the target declares an Apple client, or
// scan --discover found the host in an app with an Info.plist. The app's
// own NSExceptionDomains entry for the host loosens them as ATS does.
var ATSNoncompliant = &scanner.Check{
	ID:       "ats-noncompliant",
	Title:    "Apple App Transport Security refuses the server",
	Severity: scanner.High,
	Description: "iOS and macOS apps load URLs through App Transport Security, which refuses servers " +
		"below its floor: TLS 1.2 or newer, a forward-secret ECDHE suite from Apple's list (AES-GCM or " +
		"AES-CBC), a certificate signed with SHA-256 or stronger, and an RSA key of at least 2048 bits " +
		"or an ECC key of at least 256. The app's connections to this host fail unless its Info.plist " +
		"declares an exception for it.",
	Remediation: "Enable TLS 1.2 (and 1.3) with ECDHE-ECDSA or ECDHE-RSA AES-GCM suites and serve a " +
		"SHA-256-signed certificate with an RSA-2048+ or P-256+ key. An NSExceptionDomains entry " +
		"(NSExceptionMinimumTLSVersion, NSExceptionRequiresForwardSecrecy NO) only hides the weakness.",
	References: []string{
		"https://developer.apple.com/documentation/bundleresources/information-property-list/nsapptransportsecurity",
		"https://developer.apple.com/documentation/security/preventing-insecure-network-connections",
		"https://cwe.mitre.org/data/definitions/326.html",
	},
	CWE:   326,
	Needs: scanner.NeedHandshake | scanner.NeedEnumeration,
	Run:   runATSNoncompliant,
}

// atsSuites are the TLS 1.2 suites ATS accepts when forward secrecy is
// required, as Apple lists them ("Requirements for Connecting Using ATS").
// TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA is not among them.
var atsSuites = []uint16{
	0xC02C, 0xC02B, 0xC024, 0xC00A, 0xC023, 0xC009,
	0xC030, 0xC02F, 0xC028, 0xC027, 0xC013,
}

// atsVersions maps NSExceptionMinimumTLSVersion values to versions.
var atsVersions = map[string]uint16{
	"TLSv1.0": tlsinfo.VersionTLS10, "TLSv1.1": tlsinfo.VersionTLS11,
	"TLSv1.2": tlsinfo.VersionTLS12, "TLSv1.3": tlsinfo.VersionTLS13,
}

func runATSNoncompliant(p *scanner.Pass) error {
	t := p.Result.Target
	if t.ATS == nil && !declaresApple(t.Clients) {
		return nil
	}
	policy := t.ATS
	if policy == nil {
		policy = &appcode.ATSPolicy{} // declared clients: ATS in full
	}
	exc := policy.For(t.ServerName)
	if exc == nil && policy.AllowsArbitraryLoads {
		return nil // NSAllowsArbitraryLoads: ATS is off for this host
	}
	ev := map[string]string{}
	minVersion, fsRequired := tlsinfo.VersionTLS12, true
	if exc != nil {
		ev["exception_domain"] = exc.Domain
		if !exc.Source.IsZero() {
			ev["exception_source"] = exc.Source.String()
		}
		if v, ok := atsVersions[exc.MinimumTLS]; ok {
			minVersion = v
		}
		fsRequired = !exc.ForwardSecrecyOptional
	}
	e := p.Result.Enum
	var problems []string
	var best uint16
	for _, v := range e.AcceptedVersions() {
		if v >= minVersion {
			best = max(best, v)
		}
	}
	switch {
	case best == 0:
		problems = append(problems, fmt.Sprintf("no accepted version is %s or newer", tlsinfo.VersionName(minVersion)))
	case fsRequired && best < tlsinfo.VersionTLS13 && !e.Accepts(tlsinfo.VersionTLS13):
		// TLS 1.3 suites are all forward secret; below it, the server must
		// accept one of Apple's suites at a version ATS allows.
		ok := false
		for _, s := range e.AllSuites() {
			if s.Version >= minVersion && slices.Contains(atsSuites, s.ID) {
				ok = true
				break
			}
		}
		if !ok {
			problems = append(problems, "no forward-secret suite from Apple's ATS list is accepted (ATS offers only ECDHE with AES-GCM or AES-CBC)")
		}
	}
	leaf, err := parsedLeaf(p.Handshake())
	if err != nil {
		return err
	}
	if w := certinfo.WeakHash(leaf.SignatureAlgorithm); w != "" {
		problems = append(problems, fmt.Sprintf("the certificate is signed with %s, not SHA-256 or stronger", w))
	}
	if fsRequired {
		alg, bits := certinfo.KeyInfo(leaf)
		switch {
		case alg == "RSA" && bits < 2048:
			problems = append(problems, fmt.Sprintf("the certificate's RSA key has %d bits (ATS requires 2048)", bits))
		case alg == "ECDSA" && bits < 256:
			problems = append(problems, fmt.Sprintf("the certificate's ECC key has %d bits (ATS requires 256)", bits))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	ev["problems"] = strings.Join(problems, "; ")
	msg := "App Transport Security refuses this server: " + strings.Join(problems, "; ")
	if exc != nil {
		msg += fmt.Sprintf(" (even with the app's exception for %q)", exc.Domain)
	}
	p.Report(scanner.Finding{Message: msg, Evidence: ev})
	return nil
}

// declaresApple reports whether clients include an iOS or macOS profile.
func declaresApple(clients []string) bool {
	for _, id := range clients {
		if prof := clientdata.ProfileByID(id); prof != nil && (prof.Platform == clientdata.PlatformIOS || prof.Platform == "macos") {
			return true
		}
	}
	return false
}
