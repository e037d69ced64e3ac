package cli

import (
	"strings"
	"testing"
)

// TestPinServerNameFolded checks that pin --servername goes through the
// targets' server-name rule: case and a trailing dot fold away, a zone is
// a usage error.
func TestPinServerNameFolded(t *testing.T) {
	l, _, ca := startLab(t, "ca.pem", "good")
	good := l.Endpoint("good")
	code, out, errOut := run(t, "", "pin", good.Addr.String(), "--servername", "GOOD.tlsaudit.test.", "--ca", ca)
	if code != 0 || !strings.Contains(out, "(server name good.tlsaudit.test)") || !strings.Contains(out, "trust trusted") {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, out, errOut)
	}
	if code, _, errOut := run(t, "", "pin", good.Addr.String(), "--servername", "fe80::1%eth0"); code != ExitUsage || !strings.Contains(errOut, "zones") {
		t.Errorf("zone: exit %d, %s", code, errOut)
	}
}
