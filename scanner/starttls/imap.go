package starttls

import (
	"context"
	"net"
	"strings"
)

// IMAP: the greeting (whose CAPABILITY code saves a round trip), the
// capabilities, then STARTTLS (RFC 3501 §6.2.1, RFC 9051, RFC 2595).
func IMAP(ctx context.Context, c net.Conn, _ Config) (*Facts, error) {
	s := newSession(ctx, "imap", c, 32<<10)
	err := imap(s)
	return s.facts, err
}

const (
	imapLine  = 8 << 10 // RFC 7162 §4's advice for command lines
	imapLines = 64
)

func imap(s *session) error {
	s.step = "greeting"
	l, err := s.line(imapLine)
	if err != nil {
		return err
	}
	s.facts.Greeting = excerpt(l)
	upper := strings.ToUpper(l)
	switch {
	case strings.HasPrefix(upper, "* OK"):
	case strings.HasPrefix(upper, "* PREAUTH"):
		// Already authenticated: STARTTLS is only allowed before, so the
		// upgrade is impossible (the PREAUTH stripping of "Why TLS is
		// better without STARTTLS").
		return s.refused(false, "PREAUTH greeting: no STARTTLS is possible", l)
	default:
		return s.errorf("answered %s", excerpt(l))
	}
	caps, ok := greetingCaps(l)
	if !ok {
		if err := s.send("CAPABILITY", []byte("a1 CAPABILITY\r\n")); err != nil {
			return err
		}
		lines, tagged, err := s.imapTagged("a1")
		if err != nil {
			return err
		}
		if !strings.HasPrefix(strings.ToUpper(tagged), "A1 OK") {
			return s.errorf("answered %s", excerpt(tagged))
		}
		for _, u := range lines {
			if f := strings.Fields(u); len(f) > 1 && strings.EqualFold(f[1], "CAPABILITY") {
				caps = append(caps, f[2:]...)
			}
		}
	}
	s.facts.Listed = true
	for _, c := range caps {
		switch u := strings.ToUpper(c); {
		case u == "STARTTLS":
			s.facts.Advertised = true
		case u == "LOGINDISABLED":
			s.facts.LoginDisabled = true
		case strings.HasPrefix(u, "AUTH="):
			s.facts.AuthBeforeTLS = mechanisms(s.facts.AuthBeforeTLS, []string{u[5:]})
		}
	}
	if err := s.send("STARTTLS", []byte("a2 STARTTLS\r\n")); err != nil {
		return err
	}
	_, tagged, err := s.imapTagged("a2")
	if err != nil {
		return err
	}
	switch u := strings.ToUpper(tagged); {
	case strings.HasPrefix(u, "A2 OK"):
		return s.goAhead()
	case strings.HasPrefix(u, "A2 NO"), strings.HasPrefix(u, "A2 BAD"):
		why := "refused"
		if !s.facts.Advertised {
			why = "not offered (CAPABILITY " + excerpt(strings.Join(caps, " ")) + ")"
		}
		return s.refused(false, why, tagged)
	}
	return s.errorf("answered %s", excerpt(tagged))
}

// greetingCaps reads the CAPABILITY response code of a greeting
// ("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready").
func greetingCaps(l string) ([]string, bool) {
	i := strings.Index(strings.ToUpper(l), "[CAPABILITY ")
	if i < 0 {
		return nil, false
	}
	rest := l[i+len("[CAPABILITY "):]
	j := strings.IndexByte(rest, ']')
	if j < 0 {
		return nil, false
	}
	return strings.Fields(rest[:j]), true
}

// imapTagged reads untagged lines until the line tagged tag. A literal
// ({n} at a line's end) has no business before TLS.
func (s *session) imapTagged(tag string) ([]string, string, error) {
	var untagged []string
	for {
		l, err := s.line(imapLine)
		if err != nil {
			return nil, "", err
		}
		if strings.HasSuffix(l, "}") && strings.Contains(l, "{") {
			return nil, "", s.errorf("a literal before TLS: %s", excerpt(l))
		}
		if strings.HasPrefix(strings.ToUpper(l), strings.ToUpper(tag)+" ") {
			return untagged, l, nil
		}
		if strings.HasPrefix(strings.ToUpper(l), "* BYE") {
			return nil, "", s.errorf("answered %s", excerpt(l))
		}
		if len(untagged) >= imapLines {
			return nil, "", s.errorf("more than %d lines before the answer", imapLines)
		}
		untagged = append(untagged, l)
	}
}
