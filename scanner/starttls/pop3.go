package starttls

import (
	"context"
	"net"
	"strings"
)

// POP3: the greeting, CAPA, then STLS (RFC 1939, RFC 2449, RFC 2595 §4).
func POP3(ctx context.Context, c net.Conn, _ Config) (*Facts, error) {
	s := newSession(ctx, "pop3", c, 16<<10)
	err := pop3(s)
	return s.facts, err
}

const (
	pop3Line  = 512 // RFC 2449 §4
	pop3Lines = 64
)

func pop3(s *session) error {
	s.step = "greeting"
	l, err := s.line(pop3Line)
	if err != nil {
		return err
	}
	s.facts.Greeting = excerpt(l)
	if !strings.HasPrefix(l, "+OK") {
		return s.errorf("answered %s", excerpt(l))
	}
	if err := s.send("CAPA", []byte("CAPA\r\n")); err != nil {
		return err
	}
	if l, err = s.line(pop3Line); err != nil {
		return err
	}
	var caps []string
	if strings.HasPrefix(l, "+OK") {
		s.facts.Listed = true
		for {
			if len(caps) >= pop3Lines {
				return s.errorf("a capability list longer than %d lines", pop3Lines)
			}
			c, err := s.line(pop3Line)
			if err != nil {
				return err
			}
			if c == "." {
				break
			}
			c = strings.TrimPrefix(c, ".")
			caps = append(caps, c)
			f := strings.Fields(c)
			switch {
			case len(f) == 0:
			case strings.EqualFold(f[0], "STLS"):
				s.facts.Advertised = true
			case strings.EqualFold(f[0], "USER"):
				s.facts.AuthBeforeTLS = mechanisms(s.facts.AuthBeforeTLS, []string{"USER"})
			case strings.EqualFold(f[0], "SASL"):
				s.facts.AuthBeforeTLS = mechanisms(s.facts.AuthBeforeTLS, f[1:])
			}
		}
	} else if !strings.HasPrefix(l, "-ERR") {
		return s.errorf("answered %s", excerpt(l))
	}
	if err := s.send("STLS", []byte("STLS\r\n")); err != nil {
		return err
	}
	if l, err = s.line(pop3Line); err != nil {
		return err
	}
	switch {
	case strings.HasPrefix(l, "+OK"):
		return s.goAhead()
	case strings.HasPrefix(l, "-ERR"):
		why := "refused"
		if s.facts.Listed && !s.facts.Advertised {
			why = "not offered (CAPA: " + excerpt(strings.Join(caps, " ")) + ")"
		}
		return s.refused(false, why, l)
	}
	return s.errorf("answered %s", excerpt(l))
}
