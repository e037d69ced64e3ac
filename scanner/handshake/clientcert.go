package handshake

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// clientCertFailure marks handshake failures that followed the server's
// request for a client certificate: a legacy client would fail the same
// way, so the zcrypto fallback is not tried.
type clientCertFailure struct{ error }

func (f clientCertFailure) Unwrap() error { return f.error }

func isClientCertFailure(err error) bool {
	var f clientCertFailure
	return errors.As(err, &f)
}

// clientCertVerdictWait is how long, after a TLS 1.3 handshake in which
// the server asked for a client certificate and got none, the scanner
// listens for the server's verdict. In TLS 1.3 the client's handshake ends
// before the server has read the client's (empty) Certificate message, so
// a server that requires one says so only afterwards, with a
// certificate_required alert that arrives within a round trip. A server
// that merely requests one, or speaks first, says nothing or sends data.
const clientCertVerdictWait = time.Second

// awaitClientCertVerdict finds out, for TLS 1.3, whether the server
// accepted a handshake without a client certificate. It returns the
// server's rejection, or nil when the server kept the connection open.
func awaitClientCertVerdict(tc *tls.Conn, h *Handshake, version uint16, timeout time.Duration) error {
	if !h.ClientCertRequested || h.ClientCertSent || version != tls.VersionTLS13 {
		return nil
	}
	_ = tc.SetReadDeadline(time.Now().Add(min(clientCertVerdictWait, timeout)))
	var b [1]byte
	n, err := tc.Read(b[:])
	if n > 0 || err == nil || netx.IsTimeout(err) {
		return nil
	}
	return err
}

// clientCertError explains a handshake failure that came after the server
// asked for a client certificate. Without one, the server requires it:
// its own kind, with the fix in the message. With one, the server
// rejected it.
func clientCertError(ctx context.Context, h *Handshake, e *netx.ScanError) *netx.ScanError {
	if !h.ClientCertRequested || ctx.Err() != nil {
		return e
	}
	switch e.Kind {
	case netx.KindHandshake, netx.KindClosed, netx.KindReset:
	default:
		return e
	}
	if !h.ClientCertSent {
		return &netx.ScanError{Kind: netx.KindClientCert, Err: clientCertFailure{fmt.Errorf("server requires a client certificate (it asked for one and ended the handshake when none came: %w); give the target client_cert and client_key", e.Err)}}
	}
	return &netx.ScanError{Kind: netx.KindHandshake, Err: clientCertFailure{fmt.Errorf("server rejected the client certificate: %w", e.Err)}}
}
