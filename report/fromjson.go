package report

import (
	"errors"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// FromJSON rebuilds, from a result read back from a report, what the
// report's decisions rest on: the target as written (name, endpoint, tags,
// source line, input position, the app source lines naming it, or the app
// source tree it stands for), the address, the error, the findings with
// their accepted risks, and the checks that could not decide, with the
// severity the gate weighs them at and their accepted risks. The gate,
// the summary and writers that work on results (SARIF) then treat it as
// they treated the original. Observations (handshake, chain, enumeration,
// HTTP) are not rebuilt: they only feed the formats that have the wire
// form already.
func FromJSON(r ResultJSON) *scanner.Result {
	t := &scanner.Target{Index: r.Index, Name: r.Name, Host: r.Host, Port: r.Port, ServerName: r.ServerName, Tags: r.Tags}
	if r.Source != nil {
		t.Source = *r.Source
	}
	t.Sources, t.SourceTree = r.Sources, r.SourceTree
	out := &scanner.Result{Target: t, Addr: r.Address, Resolved: r.Resolved, Start: r.Started,
		Duration: time.Duration(r.DurationMS) * time.Millisecond, Grade: gradeFromJSON(r.Grade)}
	if e := r.Error; e != nil {
		out.Err = &netx.ScanError{Kind: netx.ErrorKind(e.Kind), Err: errors.New(e.Message)}
	}
	for _, f := range r.Findings {
		sev, err := scanner.ParseSeverity(f.Severity)
		if err != nil {
			// ReadStream refuses such a report; a result built another
			// way fails closed: what cannot be weighed weighs most.
			sev = scanner.Critical
		}
		fd := scanner.Finding{CheckID: f.Check, Severity: sev, Message: f.Message, Evidence: f.Evidence}
		if f.Location != nil {
			fd.Location = *f.Location
		}
		if a := f.Acceptance; a != nil {
			until, _ := time.Parse(time.DateOnly, a.Until)
			fd.Acceptance = &scanner.Acceptance{Check: a.Check, Until: until, Reason: a.Reason}
			if a.Source != nil {
				fd.Acceptance.Source = *a.Source
			}
			// Only an acceptance the report says is in force counts:
			// ReadStream refuses any other status, and a result built
			// another way fails closed.
			fd.AcceptanceExpired = a.Status != "accepted" || until.IsZero()
		}
		out.Findings = append(out.Findings, fd)
	}
	for _, ce := range r.CheckErrors {
		// A severity this version does not know (or none, from an older
		// report) stays zero, which the gate weighs critical.
		sev, _ := scanner.ParseSeverity(ce.Severity)
		out.CheckErrors = append(out.CheckErrors, scanner.CheckError{CheckID: ce.Check, Err: ce.Error, Severity: sev, Accepted: ce.Accepted})
	}
	return out
}

// AtLeastJSON is AtLeast for a result read back from a report.
func AtLeastJSON(r ResultJSON, min scanner.Severity) (ResultJSON, int) {
	var kept []FindingJSON
	for _, f := range r.Findings {
		if sev, err := scanner.ParseSeverity(f.Severity); err != nil || sev >= min {
			kept = append(kept, f)
		}
	}
	hidden := len(r.Findings) - len(kept)
	if hidden == 0 {
		return r, 0
	}
	if kept == nil {
		kept = []FindingJSON{}
	}
	r.Findings = kept
	return r, hidden
}

// WriteJSON adds a result read back from a report. The files it names are
// then not trusted as locations (see untrustedPath).
func (s *sarifWriter) WriteJSON(r ResultJSON) error {
	s.untrusted = true
	return s.Write(FromJSON(r))
}
