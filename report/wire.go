package report

import (
	"encoding/base64"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// SchemaVersion is the version of the JSON and JSON Lines schema. It
// changes only when a field changes meaning or disappears; new fields do
// not change it.
const SchemaVersion = "1"

// The wire types below are the JSON schema. They are kept apart from the
// scanner's types (which have no JSON tags) so the engine can change
// without changing the output.

// ToolInfo names the program that wrote a report.
type ToolInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// ResultJSON is one result.
type ResultJSON struct {
	// Index is the target's position in the scan's input (every targets
	// file, then arguments, in every shard), by which `tlsaudit merge`
	// restores the order of an unsharded scan.
	Index      int               `json:"index"`
	Name       string            `json:"name"`
	Host       string            `json:"host"`
	Port       int               `json:"port"`
	ServerName string            `json:"servername"`
	Tags       []string          `json:"tags,omitempty"`
	Source     *fileloc.Location `json:"source,omitempty"`
	// Sources are where an app's source code names the host (discover).
	Sources []fileloc.Location `json:"sources,omitempty"`
	// SourceTree is set on the result of an app's source tree, whose
	// findings are about its code (each with a location), not a host.
	SourceTree string `json:"source_tree,omitempty"`
	// Status is "error", "findings", "undecided" or "ok" (see Status).
	Status      string           `json:"status"`
	Address     string           `json:"address,omitempty"`
	Resolved    []string         `json:"resolved,omitempty"`
	Started     time.Time        `json:"started"`
	DurationMS  int64            `json:"duration_ms"`
	TLS         *TLSJSON         `json:"tls,omitempty"`
	Trust       *TrustJSON       `json:"trust,omitempty"`
	Revocation  *RevocationJSON  `json:"revocation,omitempty"`
	Chain       []CertJSON       `json:"chain,omitempty"`
	Enumeration *EnumerationJSON `json:"enumeration,omitempty"`
	Grade       *GradeJSON       `json:"grade,omitempty"`
	Findings    []FindingJSON    `json:"findings"`
	CheckErrors []CheckErrorJSON `json:"check_errors,omitempty"`
	Error       *ErrorJSON       `json:"error,omitempty"`

	// Vulnerabilities is every known-vulnerability probe's verdict.
	Vulnerabilities *VulnerabilitiesJSON `json:"vulnerabilities,omitempty"`

	// Protocol is what the TLS port carries (https or tls); HTTP is what
	// the HTTP probes saw, when they ran.
	Protocol string    `json:"protocol"`
	HTTP     *HTTPJSON `json:"http,omitempty"`
	// Upgrade is what the plaintext exchange before TLS showed, for
	// protocols that start in the clear.
	Upgrade *UpgradeJSON `json:"upgrade,omitempty"`
	// ProtocolSeen is the protocol of a server scanned as https that
	// spoke first after the handshake (smtp, imap, ...): no HTTP checks
	// ran; Greeting is what it said.
	ProtocolSeen string `json:"protocol_seen,omitempty"`
	Greeting     string `json:"greeting,omitempty"`
}

// UpgradeJSON is what a STARTTLS-style exchange showed. Every string is
// an escaped excerpt of server bytes.
type UpgradeJSON struct {
	// Upgraded: the server said go ahead to TLS.
	Upgraded bool `json:"upgraded"`
	// Advertised: the capability listing named the upgrade; absent when
	// the protocol lists none (FTP without FEAT, LDAP, PostgreSQL).
	Advertised *bool `json:"advertised,omitempty"`
	// Refused: the service offers or accepts no upgrade (Temporary when
	// it says so, SMTP 454, FTP 431); Reply is its answer.
	Refused   bool   `json:"refused,omitempty"`
	Temporary bool   `json:"temporary,omitempty"`
	Reply     string `json:"reply,omitempty"`
	Greeting  string `json:"greeting,omitempty"`
	// AuthBeforeTLS lists the login mechanisms offered in cleartext,
	// before TLS (SMTP AUTH, IMAP AUTH=, POP3 USER and SASL, XMPP SASL).
	AuthBeforeTLS []string `json:"auth_before_tls,omitempty"`
	// LoginDisabled: IMAP refuses LOGIN before TLS (LOGINDISABLED).
	LoginDisabled bool `json:"login_disabled,omitempty"`
	// StartTLSRequired: XMPP marks STARTTLS required.
	StartTLSRequired bool `json:"starttls_required,omitempty"`
}

func upgradeJSON(r *scanner.Result) *UpgradeJSON {
	u := r.Upgrade
	if u == nil {
		return nil
	}
	out := &UpgradeJSON{
		Upgraded: u.Upgraded, Refused: u.Refused, Temporary: u.Temporary, Reply: u.Evidence,
		Greeting: u.Greeting, AuthBeforeTLS: u.AuthBeforeTLS, LoginDisabled: u.LoginDisabled,
		StartTLSRequired: u.StartTLSRequired,
	}
	if u.Listed {
		out.Advertised = &u.Advertised
	}
	return out
}

// TLSJSON is what the shared handshake negotiated.
type TLSJSON struct {
	Version             string `json:"version"`
	CipherSuite         string `json:"cipher_suite"`
	ALPN                string `json:"alpn,omitempty"`
	Client              string `json:"client"`
	LegacyOnly          bool   `json:"legacy_only,omitempty"`
	ModernError         string `json:"modern_client_error,omitempty"`
	ClientCertRequested bool   `json:"client_cert_requested,omitempty"`
	ClientCertSent      bool   `json:"client_cert_sent,omitempty"`
	OCSPStapled         bool   `json:"ocsp_stapled"`
	SCTs                int    `json:"scts_in_handshake"`
	ConnectMS           int64  `json:"connect_ms"`
	HandshakeMS         int64  `json:"handshake_ms"`
}

// TrustJSON is the chain verification verdict.
type TrustJSON struct {
	Status        string   `json:"status"`
	Roots         string   `json:"roots"`
	Detail        string   `json:"detail,omitempty"`
	Anchor        string   `json:"anchor,omitempty"`
	VerifiedAt    string   `json:"verified_at,omitempty"`
	MissingIssuer string   `json:"missing_issuer,omitempty"`
	IssuerURLs    []string `json:"issuer_urls,omitempty"`
}

// CertJSON is one served certificate.
type CertJSON struct {
	certinfo.Summary
	// ParseError is set (and the summary empty) when crypto/x509 refused
	// the certificate; DER then holds it, base64.
	ParseError string `json:"parse_error,omitempty"`
	DER        string `json:"der,omitempty"`
}

// FindingJSON is one finding.
type FindingJSON struct {
	Check    string            `json:"check"`
	Severity string            `json:"severity"`
	Title    string            `json:"title"`
	Message  string            `json:"message"`
	Evidence map[string]string `json:"evidence,omitempty"`
	Location *fileloc.Location `json:"location,omitempty"`
	// Accepted is true when an accepted risk in force covers the finding:
	// reported, but not failing the gate. Acceptance says which, also
	// when it has expired.
	Accepted   bool            `json:"accepted,omitempty"`
	Acceptance *AcceptanceJSON `json:"acceptance,omitempty"`
}

// AcceptanceJSON is the accepted risk covering a finding.
type AcceptanceJSON struct {
	// Check is the ID or glob as written in the targets file.
	Check string `json:"check"`
	// Until is the last day the acceptance holds (UTC), YYYY-MM-DD.
	Until  string `json:"until"`
	Reason string `json:"reason"`
	// Status is "accepted" while in force, "expired" once Until has
	// passed (the finding then counts again).
	Status string            `json:"status"`
	Source *fileloc.Location `json:"source,omitempty"`
}

func acceptanceJSON(f *scanner.Finding) *AcceptanceJSON {
	a := f.Acceptance
	if a == nil {
		return nil
	}
	out := &AcceptanceJSON{Check: a.Check, Until: a.Until.Format(time.DateOnly), Reason: a.Reason, Status: "accepted"}
	if f.AcceptanceExpired {
		out.Status = "expired"
	}
	if !a.Source.IsZero() {
		src := a.Source
		out.Source = &src
	}
	return out
}

// CheckErrorJSON is a check that could not decide.
type CheckErrorJSON struct {
	Check string `json:"check"`
	Error string `json:"error"`
	// Severity is what the gate weighs the error at (the check's, or for
	// a family the highest rule the target selects); Accepted is true when
	// an accepted risk in force covers the check, so it does not fail the
	// gate.
	Severity string `json:"severity,omitempty"`
	Accepted bool   `json:"accepted,omitempty"`
}

// ErrorJSON says why a target could not be scanned.
type ErrorJSON struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Status sums a result up, first that applies: "error" (the target could
// not be scanned), "findings" (at least one finding), "undecided" (no
// finding, but at least one check could not decide: check_errors says
// which) or "ok" (every check that ran decided, and found nothing). "ok"
// is never given when a check could not decide.
func Status(r *scanner.Result) string {
	switch {
	case r.Err != nil:
		return "error"
	case len(r.Findings) > 0:
		return "findings"
	case len(r.CheckErrors) > 0:
		return "undecided"
	}
	return "ok"
}

// ToJSON converts a result to its wire form. titles maps check IDs to
// titles.
func ToJSON(r *scanner.Result, titles map[string]string) ResultJSON {
	t := r.Target
	out := ResultJSON{
		Index:      t.Index,
		Name:       t.Label(),
		Host:       t.Host,
		Port:       t.Port,
		ServerName: t.ServerName,
		Tags:       t.Tags,
		Status:     Status(r),
		Address:    r.Addr,
		Resolved:   r.Resolved,
		Started:    r.Start.UTC(),
		DurationMS: r.Duration.Milliseconds(),
		Findings:   []FindingJSON{},
	}
	if !t.Source.IsZero() {
		src := t.Source
		out.Source = &src
	}
	out.Sources, out.SourceTree = t.Sources, t.SourceTree
	if h := r.Handshake; h != nil {
		out.TLS = &TLSJSON{
			Version:             versionName(h.Version),
			CipherSuite:         suiteName(h.CipherSuite),
			ALPN:                h.ALPN,
			Client:              h.Client,
			LegacyOnly:          h.LegacyOnly,
			ModernError:         h.ModernError,
			ClientCertRequested: h.ClientCertRequested,
			ClientCertSent:      h.ClientCertSent,
			OCSPStapled:         len(h.OCSPStaple) > 0,
			SCTs:                len(h.SCTs),
			ConnectMS:           h.ConnectTime.Milliseconds(),
			HandshakeMS:         h.HandshakeTime.Milliseconds(),
		}
		tr := h.Trust
		out.Trust = &TrustJSON{
			Status:        string(tr.Status),
			Roots:         tr.Roots,
			Detail:        tr.Detail,
			Anchor:        tr.Anchor,
			MissingIssuer: tr.MissingIssuer,
			IssuerURLs:    tr.IssuerURLs,
		}
		if !tr.At.IsZero() && !tr.At.Equal(r.Start) && tr.At.Sub(r.Start).Abs() > time.Minute {
			out.Trust.VerifiedAt = tr.At.UTC().Format(time.RFC3339)
		}
		out.Chain = chainJSON(h)
		out.Revocation = revocationJSON(h)
	}
	out.Enumeration = enumerationJSON(r)
	out.Grade = gradeJSON(r.Grade)
	out.Vulnerabilities = vulnerabilitiesJSON(r)
	for _, f := range r.Findings {
		fj := FindingJSON{
			Check:    f.CheckID,
			Severity: f.Severity.String(),
			Title:    titles[f.CheckID],
			Message:  f.Message,
			Evidence: f.Evidence,
		}
		fj.Accepted, fj.Acceptance = f.Accepted(), acceptanceJSON(&f)
		if !f.Location.IsZero() {
			loc := f.Location
			fj.Location = &loc
		}
		out.Findings = append(out.Findings, fj)
	}
	for _, ce := range r.CheckErrors {
		cj := CheckErrorJSON{Check: ce.CheckID, Error: ce.Err, Accepted: ce.Accepted}
		if ce.Severity != 0 {
			cj.Severity = ce.Severity.String()
		}
		out.CheckErrors = append(out.CheckErrors, cj)
	}
	if r.Err != nil {
		out.Error = &ErrorJSON{Kind: string(r.Err.Kind), Message: r.Err.Message()}
	}
	out.Protocol = string(t.Protocol())
	out.HTTP = httpJSON(r.HTTP)
	out.Upgrade = upgradeJSON(r)
	out.ProtocolSeen, out.Greeting = r.ProtocolSeen, r.Greeting
	return out
}

// chainJSON lists every served certificate in order, parsed or not.
func chainJSON(h *handshake.Handshake) []CertJSON {
	parsed := h.Chain
	var out []CertJSON
	for i, der := range h.RawChain {
		if msg, bad := h.ParseErrors[i]; bad {
			out = append(out, CertJSON{ParseError: msg, DER: base64.StdEncoding.EncodeToString(der)})
			continue
		}
		if len(parsed) == 0 {
			break
		}
		out = append(out, CertJSON{Summary: certinfo.Summarize(parsed[0])})
		parsed = parsed[1:]
	}
	return out
}

// suiteName names a cipher suite, including the legacy ones Go's
// crypto/tls does not know.
func suiteName(id uint16) string {
	return tlsinfo.Suite(id).Name
}

func titlesOf(checks []*scanner.Check) map[string]string {
	m := make(map[string]string, len(checks))
	for _, c := range checks {
		m[c.ID] = c.Title
		if c.Rules != nil {
			for _, r := range c.Rules() {
				m[r.ID] = r.Title
			}
		}
	}
	return m
}
