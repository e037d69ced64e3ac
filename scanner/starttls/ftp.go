package starttls

import (
	"context"
	"net"
)

// FTP: the greeting, then AUTH TLS (RFC 4217 §4). FEAT is not asked:
// vsftpd accepts AUTH TLS without listing it, so the listing could not
// decide anything, and it would cost a round trip on every connection.
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
		return s.refused(code == 431, "refused", lines[0])
	}
	return s.errorf("answered %s", excerpt(lines[0]))
}
