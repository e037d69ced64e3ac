package checks_test

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// TestMessagesCountOne: a message that counts says "1 thing", never
// "1 things": one pin, a minute.
func TestMessagesCountOne(t *testing.T) {
	p := newPKI(t)
	leaf := issue(t, p, lab.CertSpec{})
	chain := []*x509.Certificate{leaf.Cert, p.Inter.Cert}
	verified := &handshake.Handshake{Trust: handshake.Trust{Status: handshake.TrustOK, Verified: []*x509.Certificate{leaf.Cert, p.Inter.Cert, p.Root.Cert}}}
	target := &scanner.Target{ServerName: "api.example.test", Pins: []string{certinfo.SPKIPin(p.OtherRoot.Cert)}}
	fs := mustRun(t, checks.PinMismatch, target, verified, chain...)
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "the pin matches no key in the chain;") {
		t.Errorf("pin-mismatch with one pin: %+v", fs)
	}
	target.Pins = append(target.Pins, certinfo.SPKIPin(p.OtherInter.Cert))
	if fs := mustRun(t, checks.PinMismatch, target, verified, chain...); len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "none of the 2 pins matches a key in the chain;") {
		t.Errorf("pin-mismatch with two pins: %+v", fs)
	}

	gone := issue(t, p, lab.CertSpec{Until: -30 * time.Second})
	fs = mustRun(t, checks.CertExpired, nil, &handshake.Handshake{Trust: handshake.Trust{Status: handshake.TrustUnknown}}, gone.Cert, p.Inter.Cert)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "expired 1 minute ago") {
		t.Errorf("cert-expired half a minute ago: %+v", fs)
	}
}
