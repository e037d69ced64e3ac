//go:build !nozcrypto && !windows && !(darwin && arm64 && !cgo)

package netx

import (
	"net"

	ztls "github.com/zmap/zcrypto/tls"
)

// addLegacyClient adds zcrypto, the legacy client, to the clients whose
// errors Classify must read alike.
func addLegacyClient(clients map[string]func(net.Conn) error) {
	clients["zcrypto"] = func(c net.Conn) error {
		return ztls.Client(c, &ztls.Config{InsecureSkipVerify: true, MaxVersion: ztls.VersionTLS12}).Handshake()
	}
}
