package netx

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
)

// An ErrorKind classifies why a target (or a probe) produced no
// observations. Kinds are stable strings: reports, gates and scripts match
// on them.
type ErrorKind string

// Error kinds, roughly in the order a connection meets them.
const (
	KindInput            ErrorKind = "input"                // the target itself is unusable
	KindDNS              ErrorKind = "dns"                  // the name did not resolve
	KindRefused          ErrorKind = "refused"              // nothing listens on the port (RST to SYN)
	KindUnreachable      ErrorKind = "unreachable"          // no route to the host or network
	KindConnectTimeout   ErrorKind = "connect-timeout"      // the SYN was never answered
	KindHandshakeTimeout ErrorKind = "handshake-timeout"    // connected, but the TLS handshake did not finish in time
	KindReset            ErrorKind = "reset"                // the peer reset the connection
	KindClosed           ErrorKind = "closed"               // the peer closed the connection mid-handshake
	KindNotTLS           ErrorKind = "not-tls"              // the peer speaks plain HTTP (or another plaintext protocol) on the TLS port
	KindUpgradeRefused   ErrorKind = "upgrade-refused"      // the service answered in plaintext but offers or accepts no TLS upgrade (STARTTLS and the like)
	KindUpgradeFailed    ErrorKind = "upgrade-failed"       // the plaintext exchange before TLS failed: an error reply, a reply too long, bytes injected after the go-ahead
	KindProtocol         ErrorKind = "protocol-error"       // the peer sent bytes that are not valid TLS
	KindHandshake        ErrorKind = "handshake-failed"     // TLS alert or no common version/cipher, with every client tried
	KindTooLarge         ErrorKind = "too-large"            // a handshake message (a certificate chain) larger than TLS clients accept
	KindClientCert       ErrorKind = "client-cert-required" // the server ends the handshake unless given a client certificate (mutual TLS)
	KindCanceled         ErrorKind = "canceled"             // the scan was interrupted before this target finished
	KindDeadline         ErrorKind = "deadline"             // the per-target deadline ran out
	KindLocal            ErrorKind = "local-resources"      // tlsaudit ran out of file descriptors on this machine; nothing is known about the target
	KindOther            ErrorKind = "error"                // anything else
)

// A ScanError says why a target could not be scanned.
type ScanError struct {
	Kind ErrorKind
	Err  error
}

func (e *ScanError) Error() string { return string(e.Kind) + ": " + e.Err.Error() }
func (e *ScanError) Unwrap() error { return e.Err }

// Message is the human-readable part, without the kind.
func (e *ScanError) Message() string { return e.Err.Error() }

// A Phase says where in a connection an error happened, because the same
// timeout means "SYN never answered" while dialing and "peer never spoke"
// during the handshake (or a request over the connection).
type Phase int

// Phases of a connection.
const (
	PhaseDial Phase = iota
	PhaseHandshake
)

// Classify maps a network or TLS error to a ScanError. ctx is the
// per-target context: its cancellation wins over whatever the socket said.
func Classify(ctx context.Context, ph Phase, err error) *ScanError {
	var se *ScanError
	if errors.As(err, &se) {
		return se
	}
	if isLocalResource(err) {
		return localFailure(ctx, err)
	}
	ctxErr := context.Cause(ctx)
	if ctxErr == nil && IsTimeout(err) && deadlinePassed(ctx) {
		// The socket's deadline is the context's when that is sooner, and
		// may fire before the context's own timer does.
		ctxErr = context.DeadlineExceeded
	}
	if ctxErr != nil {
		switch {
		case errors.Is(ctxErr, ErrInterrupted) || errors.Is(ctxErr, context.Canceled):
			return &ScanError{KindCanceled, errors.New("scan interrupted before this target finished")}
		case errors.As(ctxErr, new(*ResourceError)):
			return &ScanError{KindCanceled, fmt.Errorf("scan stopped before this target finished: %w", ctxErr)}
		case errors.Is(ctxErr, context.DeadlineExceeded) || errors.Is(ctxErr, ErrTargetDeadline):
			if ph == PhaseDial {
				return &ScanError{KindConnectTimeout, fmt.Errorf("no answer to connect before the target deadline: %w", err)}
			}
			return &ScanError{KindDeadline, fmt.Errorf("target deadline ran out: %w", err)}
		}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		// The resolver's own message names the system nameserver even when
		// another did the lookup; name and reason are what matter.
		return &ScanError{KindDNS, fmt.Errorf("%s: %s", dnsErr.Name, dnsErr.Err)}
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return NotTLS(rh.RecordHeader[:])
	}
	if isTooLarge(err) {
		return &ScanError{KindTooLarge, fmt.Errorf("the server sent a handshake message larger than TLS clients accept (%v)", err)}
	}
	if desc, ok := remoteAlert(err); ok {
		return &ScanError{KindHandshake, fmt.Errorf("server sent TLS alert %q", desc)}
	}
	if IsTimeout(err) {
		if ph == PhaseDial {
			return &ScanError{KindConnectTimeout, errors.New("no answer to connect (SYN unanswered or filtered)")}
		}
		return &ScanError{KindHandshakeTimeout, errors.New("connected, but the TLS handshake did not complete in time")}
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return &ScanError{KindRefused, errors.New("connection refused")}
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return &ScanError{KindReset, errors.New("connection reset by peer")}
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return &ScanError{KindUnreachable, err}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &ScanError{KindClosed, errors.New("peer closed the connection during the handshake")}
	}
	if ph == PhaseHandshake {
		return &ScanError{KindHandshake, err}
	}
	return &ScanError{KindOther, err}
}

// remoteAlert returns the description of the alert the peer sent, when err
// is one. crypto/tls and zcrypto both report a received alert as a
// *net.OpError with Op "remote error" wrapping their alert type (unexported
// in crypto/tls), whose text is "tls: <description>"; an alert the client
// sent itself is Op "local error". (tls.AlertError is neither: crypto/tls
// returns it only from QUIC connections, for alerts it would have sent.)
func remoteAlert(err error) (string, bool) {
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "remote error" || oe.Err == nil {
		return "", false
	}
	return strings.TrimPrefix(oe.Err.Error(), "tls: "), true
}

// isTooLarge recognises the error crypto/tls (256 KiB for a certificate
// message, 64 KiB for others) and zcrypto (64 KiB) return, untyped, when a
// handshake message's header announces more than they accept. Both refuse
// before reading the body, so an oversized chain costs no memory.
func isTooLarge(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "tls: handshake message of length") && strings.Contains(msg, "exceeds maximum")
}

// deadlinePassed reports whether ctx's deadline is behind us, whether or
// not its timer has fired yet.
func deadlinePassed(ctx context.Context) bool {
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}

// IsTimeout reports whether err is a deadline or timeout.
func IsTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// NotTLS describes a peer whose first bytes are not a TLS record. Plain
// HTTP on a TLS port (a misrouted load balancer) is common enough to get
// its own kind.
func NotTLS(first []byte) *ScanError {
	if IsHTTPPrefix(first) {
		return &ScanError{KindNotTLS, fmt.Errorf("peer answered in plaintext HTTP (%q), not TLS", Printable(first))}
	}
	return &ScanError{KindProtocol, fmt.Errorf("peer sent bytes that are not a TLS record (% x)", first)}
}

// IsHTTPPrefix reports whether b starts like an HTTP response.
func IsHTTPPrefix(b []byte) bool {
	const h = "HTTP/"
	n := min(len(b), len(h))
	return n >= 4 && string(b[:n]) == h[:n]
}

// Printable shows b as ASCII, with a dot for each other byte.
func Printable(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			out = append(out, c)
		} else {
			out = append(out, '.')
		}
	}
	return string(out)
}

var (
	// ErrInterrupted is the cause to cancel a scan's context with when the
	// user interrupts it: targets then finish as "canceled" rather than
	// "deadline".
	ErrInterrupted = errors.New("interrupted")
	// ErrTargetDeadline is the cause of a target's context ending at its
	// deadline.
	ErrTargetDeadline = errors.New("target deadline")
)
