package starttls

import (
	"context"
	"net"
	"strings"
)

// SMTP: the greeting, EHLO (HELO when EHLO is refused), then STARTTLS
// (RFC 5321, RFC 3207). STARTTLS is sent even when EHLO does not list it.
func SMTP(ctx context.Context, c net.Conn, _ Config) (*Facts, error) {
	s := newSession(ctx, "smtp", c, 16<<10)
	err := smtp(s)
	return s.facts, err
}

const (
	smtpLine  = 1024 // RFC 5321 §4.5.3.1.5: 512 with CRLF; real servers stay far below
	smtpLines = 64
)

func smtp(s *session) error {
	s.step = "greeting"
	code, lines, err := s.reply(smtpLine, smtpLines, true)
	if err != nil {
		return err
	}
	s.facts.Greeting = excerpt(lines[0])
	if code != 220 {
		return s.errorf("answered %s", excerpt(lines[0]))
	}
	if err := s.send("EHLO", []byte("EHLO "+localLiteral(s.c)+"\r\n")); err != nil {
		return err
	}
	code, lines, err = s.reply(smtpLine, smtpLines, true)
	if err != nil {
		return err
	}
	switch {
	case code == 250:
		s.facts.Listed = true
		for _, l := range lines[1:] {
			if len(l) <= 4 {
				continue
			}
			kw, params, _ := strings.Cut(strings.TrimSpace(l[4:]), " ")
			switch {
			case strings.EqualFold(kw, "STARTTLS"):
				s.facts.Advertised = true
			case strings.EqualFold(kw, "AUTH"):
				s.facts.AuthBeforeTLS = mechanisms(s.facts.AuthBeforeTLS, strings.Fields(params))
			case len(kw) > 5 && strings.EqualFold(kw[:5], "AUTH="):
				// The legacy "AUTH=PLAIN LOGIN" form (broken_sasl_auth_clients).
				s.facts.AuthBeforeTLS = mechanisms(s.facts.AuthBeforeTLS, append([]string{kw[5:]}, strings.Fields(params)...))
			}
		}
	case code >= 500 && code < 600:
		// A server without ESMTP has no extensions, so no STARTTLS; HELO
		// keeps the session polite before STARTTLS is tried anyway.
		if err := s.send("HELO", []byte("HELO "+localLiteral(s.c)+"\r\n")); err != nil {
			return err
		}
		if code, lines, err = s.reply(smtpLine, smtpLines, true); err != nil {
			return err
		}
		if code != 250 {
			return s.errorf("answered %s", excerpt(lines[0]))
		}
		s.facts.Listed = true
	default:
		return s.errorf("answered %s", excerpt(lines[0]))
	}
	listing := strings.Join(lines, " / ")
	if err := s.send("STARTTLS", []byte("STARTTLS\r\n")); err != nil {
		return err
	}
	code, lines, err = s.reply(smtpLine, smtpLines, true)
	if err != nil {
		return err
	}
	switch {
	case code == 220:
		return s.goAhead()
	case code == 421:
		return s.errorf("answered %s", excerpt(lines[0]))
	case code >= 400 && code < 600:
		why := "refused"
		if !s.facts.Advertised {
			why = "not offered (EHLO: " + excerpt(listing) + ")"
		}
		return s.refused(code == 454, why, lines[0])
	}
	return s.errorf("answered %s", excerpt(lines[0]))
}

// mechanisms adds SASL mechanism names to ms, upper-cased and without
// repeats.
func mechanisms(ms []string, more []string) []string {
	for _, m := range more {
		m = strings.ToUpper(m)
		if len(ms) < 16 && m != "" && !contains(ms, m) {
			ms = append(ms, excerpt(m))
		}
	}
	return ms
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
