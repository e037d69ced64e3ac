package httpprobe

import (
	"bytes"
	"context"
	"net"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// greetBytes is the most read of a greeting: one line's worth.
const greetBytes = 512

// awaitGreeting waits up to wait on a fresh TLS connection for the server
// to speak first, as mail, FTP and other non-HTTP servers do; an HTTP
// server never does. It returns the protocol the greeting shows and an
// escaped excerpt of it, or "" when the server stayed silent. The
// connection's deadline is restored to timeout (within the target's) so
// that the HTTP request that follows has its usual time.
//
// Sending the request first would be simpler, but a mail server takes a
// client that talks before the greeting for a spambot (Postfix answers
// "221 2.7.0 Error: I can break rules, too"), and a greeting tells the
// protocol without ambiguity.
func awaitGreeting(ctx context.Context, conn net.Conn, wait, timeout time.Duration) (protocol, greeting string) {
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = conn.SetReadDeadline(time.Now().Add(wait))
	buf := make([]byte, greetBytes)
	n, _ := conn.Read(buf)
	_ = conn.SetDeadline(deadline)
	if n == 0 {
		return "", ""
	}
	line := buf[:n]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	text := strings.TrimRight(string(line), "\r")
	return greetingProtocol(text), textsafe.Excerpt(text, 200)
}

// greetingProtocol names the protocol a first line shows (WIRE.md §11).
func greetingProtocol(l string) string {
	upper := strings.ToUpper(l)
	switch {
	case len(l) >= 4 && strings.HasPrefix(l, "220") && (l[3] == ' ' || l[3] == '-'):
		switch {
		case strings.Contains(upper, "FTP"):
			return "ftp"
		case strings.Contains(upper, "SMTP") || strings.Contains(upper, "POSTFIX") || strings.Contains(upper, "EXIM") ||
			strings.Contains(upper, "SENDMAIL") || strings.Contains(upper, "MAIL"):
			return "smtp"
		}
		return "smtp-or-ftp"
	case strings.HasPrefix(upper, "* OK"), strings.HasPrefix(upper, "* PREAUTH"), strings.HasPrefix(upper, "* BYE"):
		return "imap"
	case strings.HasPrefix(l, "+OK"), strings.HasPrefix(l, "-ERR"):
		return "pop3"
	case strings.HasPrefix(l, "<?xml"), strings.HasPrefix(l, "<stream:"):
		return "xmpp"
	}
	return "unknown"
}
