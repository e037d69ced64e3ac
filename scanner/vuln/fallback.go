package vuln

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
)

// fallbackSCSV is TLS_FALLBACK_SCSV (RFC 7507).
const fallbackSCSV = 0x5600

// fallbackSCSV offers the second-newest version the server accepts, with
// the suites it accepted there plus TLS_FALLBACK_SCSV, in a hello that
// does not offer the newest. A server that knows the SCSV refuses
// (inappropriate_fallback, or another alert, or a close: Dovecot closes);
// one that negotiates the lower version lets an attacker who breaks the
// newer handshakes downgrade clients that retry (POODLE's route). Only
// for servers with two versions or more. One connection.
func (p *prober) fallbackSCSV(ctx context.Context, in Input) Outcome {
	vs := in.accepted()
	if len(vs) < 2 {
		return outcome(NotTested, "the server accepts a single protocol version")
	}
	lower := vs[1]
	suites := append(slices.Clone(in.Versions[lower]), fallbackSCSV)
	c, f, err := p.openFlight(ctx, p.hello(lower, suites))
	if errors.Is(err, errRefused) {
		return outcome(NotVulnerable, "the server closed the connection at a "+tlsinfo.VersionName(lower)+" hello with the SCSV")
	}
	if err != nil {
		return outcome(Undecided, err.Error())
	}
	c.Close()
	if f.hello == nil {
		return outcome(NotVulnerable, "the server refused a "+tlsinfo.VersionName(lower)+" hello with the SCSV (alert "+strconv.Itoa(f.alert)+")")
	}
	if f.hello.Version != lower {
		return outcome(Undecided, "the server answered a "+tlsinfo.VersionName(lower)+" hello with "+tlsinfo.VersionName(f.hello.Version))
	}
	return outcome(Vulnerable, "the server negotiated "+tlsinfo.VersionName(lower)+" although the hello said it was a fallback from "+
		tlsinfo.VersionName(vs[0]), "highest", tlsinfo.VersionName(vs[0]), "fallback", tlsinfo.VersionName(lower))
}
