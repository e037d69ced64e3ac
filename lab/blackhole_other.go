//go:build !linux

package lab

import (
	"errors"
	"net"
)

// On other systems a full accept queue may be answered with RST rather
// than silence, so the lab has no blackhole endpoint there.
const blackholeSupported = false

func listenBlackhole(*Env, string) (net.Listener, error) {
	return nil, errors.New("blackhole endpoint needs Linux")
}
