package checks_test

import (
	"crypto/x509"
	"slices"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// TestCodePinMismatch compares each pin set on its own (one that matches
// does not silence another that does not), and checks that the finding
// gives the same evidence as pin-mismatch for the same pins: both compare
// with the served chain plus the root it verifies to.
func TestCodePinMismatch(t *testing.T) {
	p := newPKI(t)
	leaf := issue(t, p, lab.CertSpec{})
	chain := []*x509.Certificate{leaf.Cert, p.Inter.Cert}
	h := func() *handshake.Handshake {
		return &handshake.Handshake{Trust: handshake.Trust{Status: handshake.TrustOK, Verified: []*x509.Certificate{leaf.Cert, p.Inter.Cert, p.Root.Cert}}}
	}
	other := certinfo.SPKIPin(p.OtherRoot.Cert)
	stale := &appcode.PinSet{Where: fileloc.Location{File: "a.xml", Line: 3}, Kind: "Android <pin-set>", SPKI: []string{other}}
	target := &scanner.Target{ServerName: "api.example.test", CodePins: []*appcode.PinSet{
		{Where: fileloc.Location{File: "a.xml", Line: 1}, Kind: "Android <pin-set>", SPKI: []string{certinfo.SPKIPin(p.Root.Cert)}}, // the verified root: matches
		stale,
		{Where: fileloc.Location{File: "a.xml", Line: 5}, Kind: "Android <pin-set>", SPKI: []string{other}, Expires: testNow.Add(-1)}, // no longer enforced
	}}
	fs := mustRun(t, checks.CodePinMismatch, target, h(), chain...)
	if len(fs) != 1 || fs[0].Location != stale.Where {
		t.Fatalf("findings %+v, want one at %v", fs, stale.Where)
	}
	want := mustRun(t, checks.PinMismatch, &scanner.Target{ServerName: "api.example.test", Pins: []string{other}}, h(), chain...)
	if len(want) != 1 {
		t.Fatalf("pin-mismatch findings %+v, want one", want)
	}
	for _, k := range []string{"pins", "chain_pins", "leaf_sha256"} {
		if fs[0].Evidence[k] == "" || fs[0].Evidence[k] != want[0].Evidence[k] {
			t.Errorf("evidence %s: code-pin-mismatch %q, pin-mismatch %q", k, fs[0].Evidence[k], want[0].Evidence[k])
		}
	}
	if got, root := fs[0].Evidence["chain_pins"], "sha256/"+certinfo.SPKIPin(p.Root.Cert); !slices.Contains(strings.Fields(got), root) {
		t.Errorf("chain_pins %q lacks the verified root's %s", got, root)
	}
}
