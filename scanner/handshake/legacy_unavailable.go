//go:build nozcrypto || windows || (darwin && arm64 && !cgo)

package handshake

import (
	"context"
	"errors"
	"net"
	"runtime"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// LegacyClient says whether this build has the legacy client: zcrypto's
// tls package does not build here (see legacy_zcrypto.go), so servers only
// legacy clients reach (SSL 3.0, RC4- or DHE-only, certificates Go refuses)
// get the modern client's error, followed by errNoLegacyClient.
const LegacyClient = false

// errNoLegacyClient says why a second, legacy handshake was not tried, so a
// report read elsewhere tells a missing feature from a server's refusal.
var errNoLegacyClient = errors.New("not tried: this build of tlsaudit (" + runtime.GOOS + "/" + runtime.GOARCH +
	") has no legacy TLS client; use a linux or darwin/amd64 build to reach servers only SSL 3.0, RC4 or DHE clients can")

func handshakeLegacy(context.Context, netx.Dialer, Config, string) (*Handshake, *netx.ScanError) {
	return nil, &netx.ScanError{Kind: netx.KindOther, Err: errNoLegacyClient}
}

// openLegacy closes raw: only the legacy client reached this server, and
// this build has none.
func openLegacy(_ context.Context, raw net.Conn, _ Config) (net.Conn, *Peer, *netx.ScanError) {
	raw.Close()
	return nil, nil, &netx.ScanError{Kind: netx.KindOther, Err: errNoLegacyClient}
}
