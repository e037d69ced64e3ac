package vuln

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
)

// heartbeatExtension offers RFC 6520 heartbeats (peer_allowed_to_send).
var heartbeatExtension = []byte{0, extHeartbeat, 0, 1, 1}

// helloFacts sends one TLS 1.0-1.2 hello, at the newest such version the
// server accepts and with the suites it accepted there, that also offers
// DEFLATE compression and the heartbeat extension, and reads the facts
// its ServerHello states: renegotiation_info (RFC 5746), extended master
// secret (RFC 7627), the compression method, and whether heartbeats were
// negotiated (reported back: heartbleed's precondition). One connection.
func (p *prober) helloFacts(ctx context.Context, in Input, o *Observation) (heartbeat bool) {
	v := in.legacyVersion()
	if v == 0 {
		none := outcome(NotTested, "the server accepts no TLS 1.0-1.2 hello")
		o.RenegotiationInsecure, o.ExtendedMasterSecret, o.Compression = none, none, none
		return false
	}
	h := p.hello(v, in.Versions[v])
	h.Compression = []uint8{1, 0} // DEFLATE, null
	h.Extra = heartbeatExtension
	c, f, err := p.openFlight(ctx, h)
	if err == nil {
		c.Close()
		if f.hello == nil {
			err = fmt.Errorf("the server refused the probe hello with alert %d", f.alert)
		}
	}
	if err != nil {
		u := outcome(Undecided, err.Error())
		o.RenegotiationInsecure, o.ExtendedMasterSecret, o.Compression = u, u, u
		return false
	}
	sh := f.hello
	ver := tlsinfo.VersionName(sh.Version)
	if sh.HasExtension(extRenegotiationInfo) {
		o.RenegotiationInsecure = outcome(NotVulnerable, "renegotiation_info in the "+ver+" ServerHello")
	} else {
		o.RenegotiationInsecure = outcome(Vulnerable, "no renegotiation_info in the "+ver+" ServerHello", "version", ver)
	}
	switch {
	case sh.Version != tlsinfo.VersionTLS12:
		o.ExtendedMasterSecret = outcome(NotTested, "TLS 1.2 not accepted")
	case sh.HasExtension(extExtendedMasterSec):
		o.ExtendedMasterSecret = outcome(NotVulnerable, "extended_master_secret in the TLS 1.2 ServerHello")
	default:
		o.ExtendedMasterSecret = outcome(Vulnerable, "no extended_master_secret in the TLS 1.2 ServerHello", "version", ver)
	}
	if sh.Compression == 0 {
		o.Compression = outcome(NotVulnerable, "null compression chosen over DEFLATE")
	} else {
		o.Compression = outcome(Vulnerable, "compression method "+strconv.Itoa(int(sh.Compression))+" chosen",
			"compression_method", compressionName(sh.Compression), "version", ver)
	}
	return sh.HasExtension(extHeartbeat)
}

func compressionName(m uint8) string {
	switch m {
	case 1:
		return "DEFLATE"
	case 64:
		return "LZS"
	}
	return strconv.Itoa(int(m))
}

// errNoHello is a probe hello the server refused although the
// enumeration saw the same offer accepted.
var errNoHello = errors.New("the server refused the probe hello")
