package starttls

import (
	"context"
	"encoding/xml"
	"net"
	"strings"
)

const (
	nsStream = "http://etherx.jabber.org/streams"
	nsTLS    = "urn:ietf:params:xml:ns:xmpp-tls"
	nsSASL   = "urn:ietf:params:xml:ns:xmpp-sasl"

	xmppTokens = 200
	xmppDepth  = 8
)

// XMPP opens a client stream to the server name, reads its features and
// sends STARTTLS (RFC 6120 §4, §5). The stream header goes out without a
// trailing newline: some servers refuse whitespace before the first
// element.
func XMPP(ctx context.Context, c net.Conn, cfg Config) (*Facts, error) {
	s := newSession(ctx, "xmpp", c, 32<<10)
	err := xmpp(s, cfg.ServerName)
	return s.facts, err
}

type xmppReader struct {
	s      *session
	d      *xml.Decoder
	tokens int
	depth  int
}

// next is the next token, within the caps; the decoder reads the
// session's buffered reader byte by byte, so it never reads past the
// element it returns.
func (x *xmppReader) next() (xml.Token, error) {
	if x.tokens++; x.tokens > xmppTokens {
		return nil, x.s.errorf("more than %d XML tokens", xmppTokens)
	}
	t, err := x.d.RawToken()
	if err != nil {
		if se, ok := err.(*xml.SyntaxError); ok {
			return nil, x.s.errorf("not XML: %s", excerpt(se.Msg))
		}
		return nil, x.s.ioError(err)
	}
	switch t := t.(type) {
	case xml.StartElement:
		if x.depth++; x.depth > xmppDepth {
			return nil, x.s.errorf("XML nested deeper than %d", xmppDepth)
		}
		return t.Copy(), nil
	case xml.EndElement:
		x.depth--
	case xml.Directive, xml.Comment:
		return nil, x.s.errorf("a DOCTYPE or comment, which XMPP forbids")
	case xml.CharData:
		return t.Copy(), nil
	}
	return t, nil
}

func xmpp(s *session, to string) error {
	header := "<?xml version='1.0'?><stream:stream to='" + xmlEscape(to) +
		"' version='1.0' xmlns='jabber:client' xmlns:stream='" + nsStream + "'>"
	if err := s.send("stream header", []byte(header)); err != nil {
		return err
	}
	s.step = "stream features"
	x := &xmppReader{s: s, d: xml.NewDecoder(s.r)}
	x.d.Strict = true
	// The stream element never closes; read up to it.
	for {
		t, err := x.next()
		if err != nil {
			return err
		}
		if se, ok := t.(xml.StartElement); ok {
			if se.Name.Local != "stream" {
				return s.errorf("the server did not open a stream (<%s>)", excerpt(se.Name.Local))
			}
			s.facts.Greeting = excerpt(attrs(se))
			version := attr(se, "version")
			if version == "" {
				s.facts.Listed = true
				return s.refused(false, "a stream without version 1.0 has no features, so no STARTTLS", s.facts.Greeting)
			}
			break
		}
	}
	x.depth = 0
	var names []string
	inFeatures, inMech := false, false
	for {
		t, err := x.next()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			switch {
			case !inFeatures && t.Name.Local == "error":
				return s.errorf("stream error %s", excerpt(x.streamError()))
			case !inFeatures && t.Name.Local == "features":
				inFeatures = true
			case inFeatures && x.depth == 2:
				names = append(names, t.Name.Local)
				if t.Name.Local == "starttls" {
					s.facts.Advertised = true
				}
			case inFeatures && x.depth == 3 && t.Name.Local == "required" && len(names) > 0 && names[len(names)-1] == "starttls":
				s.facts.StartTLSRequired = true
			case inFeatures && t.Name.Local == "mechanism":
				inMech = true
			}
		case xml.CharData:
			if inMech {
				s.facts.AuthBeforeTLS = mechanisms(s.facts.AuthBeforeTLS, []string{strings.TrimSpace(string(t))})
			}
		case xml.EndElement:
			inMech = false
			if t.Name.Local == "features" && x.depth == 0 {
				s.facts.Listed = true
				goto features
			}
		}
	}
features:
	if !s.facts.Advertised {
		return s.refused(false, "not offered", "stream features: "+strings.Join(names, " "))
	}
	if err := s.send("STARTTLS", []byte("<starttls xmlns='"+nsTLS+"'/>")); err != nil {
		return err
	}
	x.depth = 0
	for {
		t, err := x.next()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "proceed":
				// The self-closing element's end is synthesized without
				// reading further.
				if _, err := x.next(); err != nil {
					return err
				}
				return s.goAhead()
			case "failure":
				return s.refused(false, "refused", "<failure/>")
			case "error":
				return s.errorf("stream error %s", excerpt(x.streamError()))
			}
			return s.errorf("answered <%s>", excerpt(t.Name.Local))
		case xml.EndElement:
			return s.errorf("the server closed the stream")
		}
	}
}

// streamError is the condition and text of a <stream:error>, read up to
// its end.
func (x *xmppReader) streamError() string {
	var cond, text []string
	depth := x.depth
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			break
		}
		switch t := t.(type) {
		case xml.StartElement:
			if t.Name.Local != "text" {
				cond = append(cond, t.Name.Local)
			}
		case xml.CharData:
			text = append(text, strings.TrimSpace(string(t)))
		}
	}
	return strings.TrimSpace(strings.Join(cond, " ") + ": " + strings.Join(text, " "))
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

func attrs(se xml.StartElement) string {
	var b strings.Builder
	b.WriteString("<" + se.Name.Local)
	for _, a := range se.Attr {
		if a.Name.Local == "from" || a.Name.Local == "version" {
			b.WriteString(" " + a.Name.Local + "='" + a.Value + "'")
		}
	}
	return b.String() + ">"
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), "'", "&#39;")
}
