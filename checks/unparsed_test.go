package checks_test

import (
	"crypto/x509"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// TestUnparsedCertificatesAreUndecided: a served certificate crypto/x509
// refuses leaves the checks that would read it undecided, never silently
// passed; checks that need only what parsed still decide.
func TestUnparsedCertificatesAreUndecided(t *testing.T) {
	p := newPKI(t)
	leaf := issue(t, p, lab.CertSpec{})
	garbage := []byte{0x30, 0x03, 0x02, 0x01, 0x00}

	unparsedLeaf := &handshake.Handshake{RawChain: [][]byte{garbage, p.Inter.Cert.Raw},
		ParseErrors: map[int]string{0: "x509: malformed certificate"},
		Trust:       handshake.Trust{Status: handshake.TrustUnchecked, Detail: "the server's certificate could not be parsed"}}
	for _, c := range []*scanner.Check{checks.CertExpired, checks.ChainSelfSigned, checks.ChainInvalid, checks.HostnameMismatch,
		checks.KeyWeak, checks.SignatureWeak, checks.CertLifetimeTooLong, checks.CertMissingSAN, checks.ChainOrder, checks.ChainSendsRoot} {
		fs, err := run(c, nil, unparsedLeaf)
		if err == nil || len(fs) > 0 || !strings.Contains(err.Error(), "leaf certificate does not parse") {
			t.Errorf("%s on an unparsed leaf: findings %v, error %v; want undecided", c.ID, fs, err)
		}
	}

	unparsedInter := func() *handshake.Handshake {
		return &handshake.Handshake{Chain: []*x509.Certificate{leaf.Cert}, RawChain: [][]byte{leaf.Cert.Raw, garbage},
			ParseErrors: map[int]string{1: "x509: malformed certificate"}}
	}
	if _, err := run(checks.CertExpired, nil, unparsedInter()); err == nil || !strings.Contains(err.Error(), "certificate 2 of the served chain") {
		t.Errorf("cert-expired with an unparsed intermediate: error %v, want undecided about certificate 2", err)
	}
	if fs, err := run(checks.HostnameMismatch, nil, unparsedInter()); err != nil || len(fs) != 0 {
		t.Errorf("hostname-mismatch reads only the leaf, which parsed: findings %v, error %v", fs, err)
	}
	pinned := &scanner.Target{ServerName: "api.example.test", Pins: []string{"AAAA"}}
	if _, err := run(checks.PinMismatch, pinned, unparsedInter()); err == nil {
		t.Error("pin-mismatch decided though the certificate that does not parse may hold the pinned key")
	}
}
