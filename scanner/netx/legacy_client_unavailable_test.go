//go:build nozcrypto || windows || (darwin && arm64 && !cgo)

package netx

import "net"

// addLegacyClient adds nothing: zcrypto does not build here.
func addLegacyClient(map[string]func(net.Conn) error) {}
