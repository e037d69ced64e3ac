package checks_test

import (
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// TestOCSPRevokedUnparsedLeaf: a staple about a leaf that does not parse
// cannot be matched to it, so cert-revoked is undecided, and says why.
func TestOCSPRevokedUnparsedLeaf(t *testing.T) {
	h := &handshake.Handshake{RawChain: [][]byte{{0x30, 0x03, 0x02, 0x01, 0x00}},
		ParseErrors: map[int]string{0: "x509: malformed certificate"},
		StapledOCSP: &certinfo.OCSP{Status: "revoked", SignatureVerified: true}}
	fs, err := run(checks.CertRevoked, nil, h)
	if len(fs) > 0 || err == nil || !strings.Contains(err.Error(), "stapled OCSP response") || !strings.Contains(err.Error(), "leaf certificate does not parse") {
		t.Errorf("findings %v, error %v; want undecided about the unparsed leaf", fs, err)
	}
}
