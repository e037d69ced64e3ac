package report

import (
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// VulnerabilitiesJSON is what the known-vulnerability probes concluded,
// one entry per probe, so a reader tells "not vulnerable" from "not
// tested" (precondition absent) and from "undecided", which findings
// alone cannot show.
type VulnerabilitiesJSON struct {
	Connections int         `json:"connections"`
	DurationMS  int64       `json:"duration_ms"`
	Probes      []ProbeJSON `json:"probes"`
}

// ProbeJSON is one probe's outcome, under the ID of the check it feeds.
type ProbeJSON struct {
	Check string `json:"check"`
	// Status is "vulnerable", "not-vulnerable", "not-tested" or
	// "undecided".
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
}

func vulnerabilitiesJSON(r *scanner.Result) *VulnerabilitiesJSON {
	v := r.Vuln
	if v == nil {
		return nil
	}
	out := &VulnerabilitiesJSON{Connections: v.Connections, DurationMS: v.Duration.Milliseconds()}
	for _, p := range []struct {
		check string
		o     vuln.Outcome
	}{
		{"heartbleed", v.Heartbleed},
		{"ccs-injection", v.CCSInjection},
		{"robot", v.ROBOT},
		{"protocol-ssl2", v.SSL2},
		{"renegotiation-insecure", v.RenegotiationInsecure},
		{"renegotiation-client-initiated", v.ClientRenegotiation},
		{"compression", v.Compression},
		{"fallback-scsv-missing", v.FallbackSCSV},
		{"extended-master-secret-missing", v.ExtendedMasterSecret},
		{"early-data-accepted", v.EarlyData},
	} {
		out.Probes = append(out.Probes, ProbeJSON{Check: p.check, Status: string(p.o.Status), Detail: p.o.Detail})
	}
	return out
}
