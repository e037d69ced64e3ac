package cli

import "github.com/tlsaudit/tlsaudit/scanner"

// certOnlyHelp is --cert-only's help: what it keeps and what it costs.
const certOnlyHelp = "run only the checks that read the shared handshake (certificates, chain, names, expiry, pins, revocation): one connection per target, for fleets; skips protocol, cipher and HTTP checks (see docs/performance.md)"

// certOnlySkips are the IDs of the checks --cert-only leaves out: every
// check that needs more than the shared handshake (enumeration, HTTP
// probes, and whatever probe comes next), so the scan opens one
// connection per target (two for a server only legacy suites reach).
func certOnlySkips(cs []*scanner.Check) []string {
	var ids []string
	for _, c := range cs {
		if c.Needs&^scanner.NeedHandshake != 0 {
			ids = append(ids, c.ID)
		}
	}
	return ids
}
