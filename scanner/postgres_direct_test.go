package scanner_test

import (
	"crypto/tls"
	"slices"
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// TestPostgresDirectTLS: protocol postgres-direct starts TLS at once and
// offers ALPN postgresql on every connection (the shared handshake and
// every enumeration probe), which a PostgreSQL 17 server requires; the
// same server still answers an SSLRequest, and refuses a plain TLS scan.
func TestPostgresDirectTLS(t *testing.T) {
	l := startLab(t, "postgres-direct")
	r := scanOne(t, l, "postgres-direct")
	if r.Err != nil {
		t.Fatalf("postgres-direct: %v", r.Err)
	}
	if r.Handshake == nil || r.Handshake.ALPN != "postgresql" {
		t.Errorf("negotiated ALPN %+v, want postgresql", r.Handshake)
	}
	if r.Upgrade != nil {
		t.Errorf("upgrade facts %+v for a protocol without an upgrade", r.Upgrade)
	}
	if r.Enum == nil {
		t.Fatal("no enumeration")
	}
	if got := r.Enum.AcceptedVersions(); !slices.Contains(got, tls.VersionTLS12) || !slices.Contains(got, tls.VersionTLS13) {
		t.Errorf("accepted versions %x, want TLS 1.2 and 1.3 (every probe hello must carry the ALPN)", got)
	}

	if r := scanOne(t, l, "postgres-direct", func(tg *scanner.Target) { tg.HTTP.Protocol = "postgres" }); r.Err != nil || r.Upgrade == nil || !r.Upgrade.Upgraded {
		t.Errorf("SSLRequest to the same server: error %v, facts %+v", r.Err, r.Upgrade)
	}
	if r := scanOne(t, l, "postgres-direct", func(tg *scanner.Target) { tg.HTTP.Protocol = "tls" }); r.Err == nil || r.Err.Kind != netx.KindHandshake {
		t.Errorf("plain TLS without ALPN: error %v, want %s", r.Err, netx.KindHandshake)
	}
}
