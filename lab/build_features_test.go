package lab

import (
	"slices"
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// The endpoints left out of builds without the legacy client must exist in
// builds with it, so that a renamed endpoint cannot slip out of the list
// (and back into the lab of a build that cannot scan it).
func TestNeedLegacyClientNamesEndpoints(t *testing.T) {
	var names []string
	for _, ep := range Endpoints() {
		names = append(names, ep.Name)
	}
	for _, n := range needLegacyClient {
		if slices.Contains(names, n) != handshake.LegacyClient {
			t.Errorf("endpoint %q: in the lab = %v, want %v (legacy client in this build)", n, !handshake.LegacyClient, handshake.LegacyClient)
		}
	}
	if slices.Contains(names, "weak-preferred") != handshake.LegacyClient {
		t.Errorf("weak-preferred in the lab = %v, want %v", !handshake.LegacyClient, handshake.LegacyClient)
	}
	if slices.Contains(names, "zlint") != zlintSupported {
		t.Errorf("zlint in the lab = %v, want %v", !zlintSupported, zlintSupported)
	}
}
