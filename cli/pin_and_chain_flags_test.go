package cli

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/report"
)

func resultNamed(t *testing.T, d jsonDoc, name string) report.ResultJSON {
	t.Helper()
	for _, r := range d.Results {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no result %q", name)
	return report.ResultJSON{}
}

func findingIDs(r report.ResultJSON) []string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Check)
	}
	return ids
}

// TestPinEndpointRoundTrip prints a lab endpoint's pins with `tlsaudit pin`,
// pastes them into a targets file, and scans it: the pins must match.
func TestPinEndpointRoundTrip(t *testing.T) {
	_, l := labFile(t, "good")
	good := l.Endpoint("good")
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, l.Env.PKI.Root.PEM(), 0o644)

	code, out, errOut := run(t, "", "pin", good.Addr.String(), "--servername", "good.tlsaudit.test", "--ca", ca)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	pki := l.Env.PKI
	for _, want := range []string{
		"pins:\n",
		`  - "sha256/` + certinfo.SPKIPin(pki.Inter.Cert) + `"  # intermediate: CN=tlsaudit lab intermediate CA`,
		`  - "sha256/` + certinfo.SPKIPin(pki.Root.Cert) + `"  # root, from the trust store (not served): CN=tlsaudit lab root CA`,
		"# leaf: CN=good.tlsaudit.test",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// Paste the output under a target, as a user would.
	var b strings.Builder
	b.WriteString("targets:\n  - host: \"" + good.Addr.String() + "\"\n    servername: good.tlsaudit.test\n    ca: ca.pem\n")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		b.WriteString("    " + line + "\n")
	}
	targetsFile := filepath.Join(dir, "pinned.yaml")
	os.WriteFile(targetsFile, []byte(b.String()), 0o644)
	code, out, errOut = run(t, "", "scan", "-f", targetsFile, "--format", "json")
	if code != 0 {
		t.Fatalf("scan of the pasted pins: exit %d: %s\n%s\n%s", code, errOut, b.String(), out)
	}
	// A pin of another CA fails the gate as critical.
	other := "sha256/" + certinfo.SPKIPin(pki.OtherRoot.Cert)
	code, out, errOut = run(t, "", "scan", good.Addr.String(), "--ca", ca, "--pin", other, "--format", "json", "--fail-on", "critical")
	r := parseDoc(t, out).Results[0]
	if code != ExitFindings || !slices.Contains(findingIDs(r), "pin-mismatch") {
		t.Errorf("--pin %s: exit %d, findings %v, %s", other, code, findingIDs(r), errOut)
	}
}

func TestPinFile(t *testing.T) {
	_, l := labFile(t, "good")
	pki := l.Env.PKI
	dir := t.TempDir()
	chain := filepath.Join(dir, "chain.pem")
	os.WriteFile(chain, append(pki.Inter.PEM(), pki.Root.PEM()...), 0o644)
	der := filepath.Join(dir, "inter.der")
	os.WriteFile(der, pki.Inter.Cert.Raw, 0o644)
	empty := filepath.Join(dir, "empty.pem")
	os.WriteFile(empty, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}}), 0o644)

	code, out, errOut := run(t, "", "pin", chain, der)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	interPin := `"sha256/` + certinfo.SPKIPin(pki.Inter.Cert) + `"`
	if strings.Count(out, interPin) != 2 || !strings.Contains(out, `"sha256/`+certinfo.SPKIPin(pki.Root.Cert)+`"  # root: CN=tlsaudit lab root CA`) ||
		!strings.Contains(out, "chain.pem: 2 certificates") || !strings.Contains(out, "inter.der: 1 certificate\n") {
		t.Errorf("output:\n%s", out)
	}

	code, _, errOut = run(t, "", "pin", empty)
	if code != ExitFindings || !strings.Contains(errOut, "holds no certificates") {
		t.Errorf("file without certificates: exit %d, %q", code, errOut)
	}
	// A folder named like a host is the user's folder, not a name to look
	// up in DNS.
	t.Chdir(dir)
	os.Mkdir("certs", 0o755)
	code, _, errOut = run(t, "", "pin", "certs")
	if code != ExitFindings || !strings.Contains(errOut, "error: certs: not a regular file or a pipe (a directory)") {
		t.Errorf("folder: exit %d, %q", code, errOut)
	}
	code, _, errOut = run(t, "", "pin", l.Endpoint("good").Addr.String(), "--timeout", "0s")
	if code != ExitUsage {
		t.Errorf("--timeout 0s: exit %d, %q", code, errOut)
	}
}

func TestScanChainJSON(t *testing.T) {
	path, _ := labFile(t, "ocsp-revoked", "ocsp-online-revoked", "crl-revoked", "crl-good", "mtls", "mtls-no-client-cert", "zlint", "good")
	code, out, errOut := run(t, "", "scan", "-f", path, "--format", "json", "--fail-on", "none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	d := parseDoc(t, out)

	revoked := resultNamed(t, d, "ocsp-revoked")
	if rv := revoked.Revocation; rv == nil || rv.OCSPStaple == nil || rv.OCSPStaple.Status != "revoked" || !rv.OCSPStaple.SignatureVerified ||
		rv.OCSPStaple.RevocationReason != "keyCompromise" || len(rv.OCSPURLs) != 1 || !revoked.TLS.OCSPStapled {
		t.Errorf("ocsp-revoked revocation = %+v", revoked.Revocation)
	}
	if !slices.Equal(findingIDs(revoked), []string{"cert-revoked"}) {
		t.Errorf("ocsp-revoked findings %v", findingIDs(revoked))
	}

	online := resultNamed(t, d, "ocsp-online-revoked")
	if rv := online.Revocation; rv == nil || rv.OCSPStaple != nil || rv.OnlineOCSP == nil || rv.OnlineOCSP.OCSP == nil || rv.OnlineOCSP.Status != "revoked" {
		t.Errorf("ocsp-online-revoked revocation = %+v", online.Revocation)
	}

	crl := resultNamed(t, d, "crl-revoked")
	if rv := crl.Revocation; rv == nil || len(rv.CRLs) != 1 || !rv.CRLs[0].Revoked || !rv.CRLs[0].SignatureVerified || rv.CRLs[0].Error != "" {
		t.Errorf("crl-revoked revocation = %+v", crl.Revocation)
	}
	if len(crl.Findings) != 1 || crl.Findings[0].Check != "cert-revoked" || crl.Findings[0].Evidence["source"] != "crl" ||
		crl.Findings[0].Evidence["reason"] != "keyCompromise" || crl.Findings[0].Evidence["revoked_at"] == "" {
		t.Errorf("crl-revoked findings %+v", crl.Findings)
	}
	crlGood := resultNamed(t, d, "crl-good")
	if rv := crlGood.Revocation; rv == nil || len(rv.CRLs) != 1 || rv.CRLs[0].Revoked || !rv.CRLs[0].SignatureVerified || len(crlGood.Findings) != 0 || len(crlGood.CheckErrors) != 0 {
		t.Errorf("crl-good = %+v", crlGood)
	}

	mtls := resultNamed(t, d, "mtls")
	if mtls.TLS == nil || !mtls.TLS.ClientCertRequested || !mtls.TLS.ClientCertSent || len(mtls.Findings) != 0 {
		t.Errorf("mtls = %+v", mtls)
	}
	noCert := resultNamed(t, d, "mtls-no-client-cert")
	if noCert.Error == nil || noCert.Error.Kind != "client-cert-required" || !strings.Contains(noCert.Error.Message, "server requires a client certificate") {
		t.Errorf("mtls-no-client-cert error = %+v", noCert.Error)
	}

	zl := resultNamed(t, d, "zlint")
	if len(zl.Findings) != 3 || zl.Findings[0].Title == "" || !strings.HasPrefix(zl.Findings[0].Check, "zlint/e_") {
		t.Errorf("zlint findings = %+v", zl.Findings)
	}
	good := resultNamed(t, d, "good")
	if good.Revocation == nil || good.Revocation.OCSPStaple != nil || good.Revocation.SCTsEmbedded != 0 || len(good.Findings) != 0 {
		t.Errorf("good = %+v", good)
	}
}

// TestScanRenamedCheckFlags: --checks and --skip still take ocsp-revoked,
// the former ID of cert-revoked.
func TestScanRenamedCheckFlags(t *testing.T) {
	path, _ := labFile(t, "ocsp-revoked")
	for _, c := range []struct {
		flag string
		want []string
	}{{"--checks", []string{"cert-revoked"}}, {"--skip", nil}} {
		code, out, errOut := run(t, "", "scan", "-f", path, "--format", "json", "--fail-on", "none", c.flag, "ocsp-revoked")
		if code != 0 {
			t.Fatalf("%s ocsp-revoked: exit %d: %s", c.flag, code, errOut)
		}
		d := parseDoc(t, out)
		if ids := findingIDs(resultNamed(t, d, "ocsp-revoked")); !slices.Equal(ids, c.want) {
			t.Errorf("%s ocsp-revoked: findings %v, want %v", c.flag, ids, c.want)
		}
	}
}

func TestScanChainFlags(t *testing.T) {
	path, _ := labFile(t, "good")
	cases := []struct {
		name string
		args []string
		code int
		want string // a finding ID expected, or text expected on stderr for usage errors
	}{
		{"--zlint all", []string{"--zlint", "all"}, 0, "zlint/e_sub_cert_certificate_policies_missing"},
		{"--zlint with a source", []string{"--zlint", "rfc8813"}, 0, "zlint/e_ecdsa_allowed_ku"},
		{"--checks naming a zlint rule", []string{"--checks", "zlint/e_ecdsa_allowed_ku"}, 0, "zlint/e_ecdsa_allowed_ku"},
		{"unknown --zlint source", []string{"--zlint", "rfc1"}, ExitUsage, `unknown zlint source "rfc1"`},
		{"bad --pin", []string{"--pin", "abc"}, ExitUsage, "--pin:"},
		{"--client-cert without key", []string{"--client-cert", path}, ExitUsage, "--client-cert and --client-key go together"},
		{"unknown zlint rule", []string{"--skip", "zlint/e_nope"}, ExitUsage, `"zlint/e_nope" matches no check`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"scan", "-f", path, "--format", "json", "--fail-on", "none"}, c.args...)
			code, out, errOut := run(t, "", args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, errOut)
			}
			if c.code == ExitUsage {
				if !strings.Contains(errOut, c.want) {
					t.Errorf("stderr %q lacks %q", errOut, c.want)
				}
				return
			}
			d := parseDoc(t, out)
			if len(d.Results) != 1 {
				t.Fatalf("%d results", len(d.Results))
			}
			if ids := findingIDs(d.Results[0]); !slices.Contains(ids, c.want) {
				t.Errorf("findings %v lack %s", ids, c.want)
			}
		})
	}
}

func TestChecksListsZlintRules(t *testing.T) {
	code, out, _ := run(t, "", "checks")
	if code != 0 || !strings.Contains(out, "zlint/*") || strings.Contains(out, "zlint/e_sub_cert_aia_missing") {
		t.Errorf("checks list:\n%s", out)
	}
	code, out, _ = run(t, "", "checks", "zlint/e_sub_cert_aia_*")
	if code != 0 || !strings.Contains(out, "zlint/e_sub_cert_aia_missing") || !strings.Contains(out, "CABF_BR") {
		t.Errorf("checks zlint/e_sub_cert_aia_*:\n%s", out)
	}
	code, out, _ = run(t, "", "checks", "zlint/e_sub_cert_aia_missing", "--format", "json")
	if code != 0 || !strings.Contains(out, `"citation": "BRs: 7.1.2.3"`) {
		t.Errorf("checks --format json:\n%s", out)
	}
	if code, _, _ := run(t, "", "checks", "zlint/e_nope"); code != ExitUsage {
		t.Errorf("unknown rule: exit %d", code)
	}
}
