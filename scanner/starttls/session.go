// Package starttls is the plaintext half of protocols that start in the
// clear and switch to TLS (SMTP, IMAP and POP3 STARTTLS, FTP AUTH TLS, the
// LDAP StartTLS operation, PostgreSQL's SSLRequest, MySQL's SSL request,
// XMPP STARTTLS): each Client takes a fresh connection up to the point
// where the server waits for a ClientHello, and reports what the server
// showed on the way (whether it listed the upgrade, whether it offers
// logins before TLS).
//
// Everything the server sends is untrusted: every read is bounded in line
// length, line count and total bytes, runs under the connection's one
// deadline (never a timer per line, which a server dripping a byte a
// second would keep alive forever), and what is kept of it is a short
// escaped excerpt. Bytes the server sends after its go-ahead and before
// TLS are an error, never read as if they came through the tunnel (the
// STARTTLS response-injection class, CVE-2021-23222).
package starttls

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// Config is what a Client needs of the target.
type Config struct {
	// ServerName is the name the certificate must cover; XMPP's stream
	// header names it ("to").
	ServerName string
}

// A Client takes c through protocol's plaintext exchange until the server
// waits for a ClientHello. It returns what it saw even when it fails.
type Client func(ctx context.Context, c net.Conn, cfg Config) (*Facts, error)

// Facts are what the plaintext exchange showed.
type Facts struct {
	// Protocol is the protocol spoken ("smtp", "postgres", ...).
	Protocol string
	// Listed says the protocol lists its capabilities before TLS and the
	// listing was read (SMTP EHLO, IMAP CAPABILITY, POP3 CAPA, XMPP stream
	// features, MySQL's greeting); Advertised then says whether the
	// upgrade was among them. A server may accept an upgrade it does not
	// list (vsftpd never lists AUTH TLS), so the upgrade is tried either
	// way; opportunistic clients only upgrade where it is listed.
	Listed, Advertised bool
	// Upgraded: the server said go ahead.
	Upgraded bool
	// Refused: the server answered in its protocol but offers or accepts
	// no upgrade; Evidence is its reply.
	Refused bool
	// Temporary: the refusal says it is temporary (SMTP 454, FTP 431).
	Temporary bool
	// Evidence is an escaped excerpt of the server's reply that shows the
	// refusal (or the listing without the upgrade).
	Evidence string
	// Greeting is an escaped excerpt of the server's first line.
	Greeting string
	// AuthBeforeTLS lists the login mechanisms offered before TLS (SMTP
	// AUTH, IMAP AUTH=, POP3 USER/SASL, XMPP SASL mechanisms): a client
	// may send a password in the clear there.
	AuthBeforeTLS []string
	// LoginDisabled: IMAP announced LOGINDISABLED before TLS.
	LoginDisabled bool
	// StartTLSRequired: XMPP marked STARTTLS <required/>.
	StartTLSRequired bool
}

// Caps on what one exchange reads (WIRE.md §0 gives their basis).
const (
	maxEvidence = 200
)

// session is one exchange: a bounded reader over the connection, and the
// step under way, which every error names.
type session struct {
	ctx   context.Context
	proto string
	c     net.Conn
	lim   *io.LimitedReader
	r     *bufio.Reader
	total int64
	step  string
	facts *Facts
}

func newSession(ctx context.Context, proto string, c net.Conn, total int64) *session {
	lim := &io.LimitedReader{R: c, N: total}
	return &session{ctx: ctx, proto: proto, c: c, lim: lim, r: bufio.NewReaderSize(lim, 4096), total: total,
		facts: &Facts{Protocol: proto}}
}

// errorf is a failed exchange: the protocol, the step, and what went
// wrong.
func (s *session) errorf(format string, args ...any) error {
	return &netx.ScanError{Kind: netx.KindUpgradeFailed, Err: fmt.Errorf("%s: %s: %s", s.proto, s.step, fmt.Sprintf(format, args...))}
}

// refused ends the exchange with the server offering no upgrade.
func (s *session) refused(temporary bool, why string, evidence string) error {
	s.facts.Refused = true
	s.facts.Temporary = temporary
	s.facts.Evidence = excerpt(evidence)
	msg := fmt.Sprintf("%s: %s: %s", s.proto, s.step, why)
	if evidence != "" {
		msg += ": " + excerpt(evidence)
	}
	return &netx.ScanError{Kind: netx.KindUpgradeRefused, Err: errors.New(msg)}
}

// ioError explains a read or write that failed. A timeout when the
// target's deadline has passed is left for netx.Classify to call a
// deadline; everything else names the step.
func (s *session) ioError(err error) error {
	if s.lim.N <= 0 {
		return s.errorf("the server sent more than %d bytes before TLS", s.total)
	}
	if netx.IsTimeout(err) {
		if d, ok := s.ctx.Deadline(); ok && !deadlineAhead(d) || s.ctx.Err() != nil {
			return err
		}
		return s.errorf("no complete answer within the connection timeout")
	}
	if s.ctx.Err() != nil {
		return err
	}
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return s.errorf("the server closed the connection")
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return s.errorf("the server reset the connection")
	}
	return s.errorf("%v", err)
}

// send writes one command.
func (s *session) send(step string, b []byte) error {
	s.step = step
	if _, err := s.c.Write(b); err != nil {
		return s.ioError(err)
	}
	return nil
}

// line reads one line of at most max bytes, without its line end (CRLF
// or a bare LF).
func (s *session) line(max int) (string, error) {
	var b []byte
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return "", s.ioError(err)
		}
		if c == '\n' {
			return strings.TrimSuffix(string(b), "\r"), nil
		}
		if len(b) >= max {
			return "", s.errorf("a line longer than %d bytes (%s...)", max, excerpt(string(b[:min(len(b), 60)])))
		}
		b = append(b, c)
	}
}

// goAhead checks that nothing follows the server's go-ahead: the
// connection is handed to TLS as it is, so bytes already sent would be
// plaintext the server (or a man in the middle) slipped in before the
// tunnel.
func (s *session) goAhead() error {
	if n := s.r.Buffered(); n > 0 {
		b, _ := s.r.Peek(min(n, 40))
		return s.errorf("%d bytes after the go-ahead, before TLS (%s): plaintext that a client would read as if it came through TLS (STARTTLS injection)", n, excerpt(string(b)))
	}
	s.facts.Upgraded = true
	return nil
}

// excerpt is a short escaped excerpt of server bytes.
func excerpt(s string) string { return textsafe.Excerpt(s, maxEvidence) }

// localLiteral is the address literal of c's local end, the name SMTP's
// EHLO gives for the client (RFC 5321 §4.1.3).
func localLiteral(c net.Conn) string {
	ap, err := netipAddrPort(c.LocalAddr())
	if err != nil {
		return "[127.0.0.1]"
	}
	if ap.Addr().Is4() || ap.Addr().Is4In6() {
		return "[" + ap.Addr().Unmap().String() + "]"
	}
	return "[IPv6:" + ap.Addr().WithZone("").String() + "]"
}

func netipAddrPort(a net.Addr) (netip.AddrPort, error) {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.AddrPort(), nil
	}
	return netip.ParseAddrPort(a.String())
}

func deadlineAhead(d time.Time) bool { return time.Now().Before(d) }

// reply reads a numbered reply (SMTP, FTP): "ddd-text" lines and a last
// "ddd text" (or "ddd") line. strict (SMTP) wants the code on every line;
// FTP lets lines between the first and the last hold anything (RFC 959
// §4.2).
func (s *session) reply(lineMax, maxLines int, strict bool) (int, []string, error) {
	var lines []string
	code := ""
	for {
		if len(lines) >= maxLines {
			return 0, lines, s.errorf("a reply longer than %d lines (%s ...)", maxLines, excerpt(lines[0]))
		}
		l, err := s.line(lineMax)
		if err != nil {
			return 0, lines, err
		}
		lines = append(lines, l)
		c, sep, ok := replyCode(l)
		if code == "" {
			if !ok {
				return 0, lines, s.errorf("not a numbered reply line: %s", excerpt(l))
			}
			code = c
		} else if !ok || c != code {
			if strict {
				return 0, lines, s.errorf("reply line %s does not continue the reply %s", excerpt(l), code)
			}
			continue
		}
		if sep != '-' {
			n := int(code[0]-'0')*100 + int(code[1]-'0')*10 + int(code[2]-'0')
			return n, lines, nil
		}
	}
}

// replyCode splits "ddd-..." or "ddd ..." or "ddd".
func replyCode(l string) (string, byte, bool) {
	if len(l) < 3 || !isDigit(l[0]) || !isDigit(l[1]) || !isDigit(l[2]) {
		return "", 0, false
	}
	if len(l) == 3 {
		return l, ' ', true
	}
	if l[3] != '-' && l[3] != ' ' {
		return "", 0, false
	}
	return l[:3], l[3], true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
