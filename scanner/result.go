package scanner

import (
	"time"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
	"github.com/tlsaudit/tlsaudit/scanner/grade"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
	"github.com/tlsaudit/tlsaudit/scanner/httpprobe"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
	"github.com/tlsaudit/tlsaudit/scanner/starttls"
	"github.com/tlsaudit/tlsaudit/scanner/vuln"
)

// A Finding is one problem a check found on one target.
type Finding struct {
	CheckID  string
	Severity Severity
	// Message is one sentence about this target, no final period. It may
	// quote server-supplied strings: writers escape it.
	Message string
	// Evidence holds the facts that prove the finding (not_after, suites,
	// sha256, …). Volatile facts belong here, not in Message, so that
	// baselines and fingerprints can ignore them.
	Evidence map[string]string
	// Location, when set, is where in the user's files the problem lives
	// (a source line for code findings); otherwise the target's Source.
	Location fileloc.Location

	// Acceptance is the target's accepted risk covering this finding, set
	// by the scanner after the checks ran; nil when none covers it.
	// AcceptanceExpired is true when its date had passed at scan time: the
	// finding then counts again. See Accepted.
	Acceptance        *Acceptance
	AcceptanceExpired bool
}

// A CheckError records a check that could not decide.
type CheckError struct {
	CheckID string
	Err     string
	// Severity is what the gate weighs the error at, and Accepted whether
	// an accepted risk in force at scan time covers the check: decided
	// once by the scanner with its findings' acceptances (see
	// markAccepted), so a report read back gates as the scan did. Zero
	// when unknown (a report from an older version): see Weight.
	Severity Severity
	Accepted bool
}

// A Result is everything learned about one target (or, with AllAddresses,
// one address of a target). The scanner produces exactly one Result per
// target, reachable or not.
type Result struct {
	Target *Target
	// Addr is the address actually dialed (ip:port), empty when the name
	// did not resolve.
	Addr string
	// Resolved lists every address the host resolved to.
	Resolved []string
	Start    time.Time
	Duration time.Duration

	// Handshake is nil when no TLS handshake completed.
	Handshake *handshake.Handshake
	// SSLv2SharedKey lists the other endpoints ("name (ip:port)") of this scan
	// that answer SSLv2 with the key of this one's certificate (see
	// sslv2Keys for the order it depends on).
	SSLv2SharedKey []string
	// Enum is the protocol and cipher-suite enumeration, when a selected
	// check needs it and it ran.
	Enum *enum.Enumeration
	// HTTP is what the plain-HTTP and HTTPS probes saw, when a selected
	// check needs it and they ran.
	HTTP *httpprobe.Observation
	// Vuln is what the known-vulnerability probes saw, when a selected
	// check needs it and the enumeration ran.
	Vuln *vuln.Observation
	// Source is the source file code checks read, for results about an
	// app's source tree (Target.SourceTree); nil for endpoints.
	Source *appcode.SourceFile
	// Upgrade is what the plaintext exchange before TLS showed, for a
	// protocol that starts in the clear (STARTTLS and the like).
	Upgrade *starttls.Facts
	// Connections counts the connections made to the TLS port.
	Connections int
	// ProtocolSeen is the protocol of a server that spoke first after the
	// TLS handshake on a port scanned as https without being declared so
	// (a mail server on an odd port): it was sent no HTTP request and no
	// HTTP check ran. Greeting is an escaped excerpt of what it said.
	ProtocolSeen, Greeting string

	// Grade is the SSL Labs-style letter (scanner/grade), for targets
	// whose handshake completed.
	Grade *grade.Grade

	Findings    []Finding
	CheckErrors []CheckError
	// Err is set when the target could not be scanned; checks that need
	// the missing observations did not run.
	Err *netx.ScanError
}
