package checks_test

import (
	"net"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/lab"
)

// TestHostnameMismatchLeavesCertificateAlone: listing the leaf's names
// must not write into the certificate's DNSNames (a slice with room to
// spare once appended to), which other checks and reports read after.
func TestHostnameMismatchLeavesCertificateAlone(t *testing.T) {
	p := newPKI(t)
	leaf := issue(t, p, lab.CertSpec{Names: []string{"other.example.test", "192.0.2.7"}})
	c := *leaf.Cert
	backing := make([]string, 1, 4)
	backing[0] = "other.example.test"
	c.DNSNames = backing[:1]
	c.IPAddresses = []net.IP{net.ParseIP("192.0.2.7")}
	fs, err := run(checks.HostnameMismatch, nil, nil, &c)
	if err != nil || len(fs) != 1 {
		t.Fatalf("findings %v, error %v; want one finding", fs, err)
	}
	if !strings.Contains(fs[0].Message, "192.0.2.7") {
		t.Errorf("message %q does not list the IP SAN", fs[0].Message)
	}
	if spare := backing[:2][1]; spare != "" {
		t.Errorf("the check wrote %q into the certificate's DNSNames backing array", spare)
	}
}
