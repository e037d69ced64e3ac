package starttls

import (
	"context"
	"net"
	"strings"
)

// FTP: the greeting, FEAT (RFC 2389) to record whether AUTH TLS is listed,
// then AUTH TLS (RFC 4217 §4) whether listed or not: vsftpd accepts AUTH
// TLS without listing it when its TLS 1.0 switch is off, so only the
// answer to AUTH TLS decides.
func FTP(ctx context.Context, c net.Conn, _ Config) (*Facts, error) {
	s := newSession(ctx, "ftp", c, 16<<10)
	err := ftp(s)
	return s.facts, err
}

const (
	ftpLine  = 1024
	ftpLines = 64
)

func ftp(s *session) error {
	s.step = "greeting"
	var code int
	var lines []string
	var err error
	// 120: "ready in n minutes", followed by the 220 within the deadline.
	for range 3 {
		if code, lines, err = s.reply(ftpLine, ftpLines, false); err != nil {
			return err
		}
		if s.facts.Greeting == "" {
			s.facts.Greeting = excerpt(lines[0])
		}
		if code != 120 {
			break
		}
	}
	if code != 220 {
		return s.errorf("answered %s", excerpt(lines[0]))
	}
	if err := s.send("FEAT", []byte("FEAT\r\n")); err != nil {
		return err
	}
	if code, lines, err = s.reply(ftpLine, ftpLines, false); err != nil {
		return err
	}
	if code == 421 {
		return s.errorf("answered %s", excerpt(lines[0]))
	}
	// 211 is the listing; a 5xx says FEAT is not implemented, which
	// lists nothing.
	if code == 211 {
		s.facts.Listed = true
		for _, l := range lines[1:] {
			// " AUTH TLS", " AUTH TLS;SSL", " AUTH SSL TLS": the
			// mechanisms after AUTH, in the forms servers use.
			if f := strings.Fields(strings.ToUpper(l)); len(f) >= 2 && f[0] == "AUTH" && strings.Contains(strings.Join(f[1:], " "), "TLS") {
				s.facts.Advertised = true
			}
		}
	}
	if err := s.send("AUTH TLS", []byte("AUTH TLS\r\n")); err != nil {
		return err
	}
	code, lines, err = s.reply(ftpLine, ftpLines, false)
	if err != nil {
		return err
	}
	switch {
	case code == 234:
		return s.goAhead()
	case code == 421:
		return s.errorf("answered %s", excerpt(lines[0]))
	case code >= 400 && code < 600:
		why := "refused"
		if s.facts.Listed && !s.facts.Advertised {
			why = "refused (FEAT does not list AUTH TLS)"
		}
		return s.refused(code == 431, why, lines[0])
	}
	return s.errorf("answered %s", excerpt(lines[0]))
}
