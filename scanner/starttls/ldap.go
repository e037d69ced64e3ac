package starttls

import (
	"context"
	"fmt"
	"io"
	"net"
)

// startTLSOID names LDAP's StartTLS extended operation; noticeOID the
// Notice of Disconnection (RFC 4511 §4.14, §4.4.1).
const (
	startTLSOID = "1.3.6.1.4.1.1466.20037"
	noticeOID   = "1.3.6.1.4.1.1466.20036"
)

// ldapStartTLS is an ExtendedRequest for StartTLS with messageID 1.
var ldapStartTLS = func() []byte {
	oid := []byte(startTLSOID)
	ext := append([]byte{0x80, byte(len(oid))}, oid...)
	op := append([]byte{0x77, byte(len(ext))}, ext...)
	msg := append([]byte{0x02, 0x01, 0x01}, op...)
	return append([]byte{0x30, byte(len(msg))}, msg...)
}()

const ldapMax = 16 << 10

// LDAP sends the StartTLS extended operation and reads its response
// (RFC 4511 §4.14) with a BER reader of its own that refuses indefinite
// and oversized lengths before allocating.
func LDAP(ctx context.Context, c net.Conn, _ Config) (*Facts, error) {
	s := newSession(ctx, "ldap", c, 4*ldapMax)
	err := ldap(s)
	return s.facts, err
}

func ldap(s *session) error {
	if err := s.send("StartTLS", ldapStartTLS); err != nil {
		return err
	}
	// Messages for other IDs are skipped, a few at most.
	for range 4 {
		msg, err := s.berElement(0x30)
		if err != nil {
			return err
		}
		id, rest, err := s.berInt(msg)
		if err != nil {
			return err
		}
		if id != 0 && id != 1 {
			continue
		}
		op, err := s.berElement2(rest, 0x78)
		if err != nil {
			return err
		}
		code, op, err := s.berEnum(op)
		if err != nil {
			return err
		}
		_, op, _ = s.berString(op) // matchedDN
		diag, op, _ := s.berString(op)
		if id == 0 {
			what := "an unsolicited notification"
			if bytesContain(op, noticeOID) {
				what = "a notice of disconnection"
			}
			return s.errorf("the server sent %s (result %d): %s", what, code, excerpt(diag))
		}
		if code == 0 {
			return s.goAhead()
		}
		return s.refused(code == 52, fmt.Sprintf("answered result %d (%s)", code, ldapResult(code)), diag)
	}
	return s.errorf("no answer to StartTLS among the server's messages")
}

func ldapResult(code int) string {
	switch code {
	case 1:
		return "operationsError"
	case 2:
		return "protocolError: StartTLS not supported"
	case 52:
		return "unavailable"
	case 53:
		return "unwillingToPerform"
	}
	return "error"
}

func bytesContain(b []byte, s string) bool {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return true
		}
	}
	return false
}

// berElement reads one element with tag from the connection and returns
// its contents.
func (s *session) berElement(tag byte) ([]byte, error) {
	s.step = "StartTLS response"
	var h [2]byte
	if _, err := io.ReadFull(s.r, h[:]); err != nil {
		return nil, s.ioError(err)
	}
	if h[0] != tag {
		return nil, s.errorf("not an LDAP message (tag 0x%02x)", h[0])
	}
	n := int(h[1])
	switch {
	case h[1] == 0x80:
		return nil, s.errorf("an indefinite BER length, which LDAP forbids")
	case h[1] > 0x84:
		return nil, s.errorf("a BER length of %d bytes", h[1]&0x7f)
	case h[1] > 0x80:
		lb := make([]byte, h[1]&0x7f)
		if _, err := io.ReadFull(s.r, lb); err != nil {
			return nil, s.ioError(err)
		}
		n = 0
		for _, b := range lb {
			n = n<<8 | int(b)
		}
	}
	if n > ldapMax {
		return nil, s.errorf("a message of %d bytes (at most %d accepted)", n, ldapMax)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(s.r, body); err != nil {
		return nil, s.ioError(err)
	}
	return body, nil
}

// berSplit splits the element at the start of b into tag, contents and
// what follows.
func berSplit(b []byte) (byte, []byte, []byte, bool) {
	if len(b) < 2 {
		return 0, nil, nil, false
	}
	tag, n, off := b[0], int(b[1]), 2
	if b[1] == 0x80 || b[1] > 0x84 {
		return 0, nil, nil, false
	}
	if b[1] > 0x80 {
		k := int(b[1] & 0x7f)
		if len(b) < 2+k {
			return 0, nil, nil, false
		}
		n = 0
		for _, x := range b[2 : 2+k] {
			n = n<<8 | int(x)
		}
		off = 2 + k
	}
	if n < 0 || len(b)-off < n {
		return 0, nil, nil, false
	}
	return tag, b[off : off+n], b[off+n:], true
}

func (s *session) berElement2(b []byte, tag byte) ([]byte, error) {
	t, body, _, ok := berSplit(b)
	if !ok || t != tag {
		return nil, s.errorf("not an ExtendedResponse")
	}
	return body, nil
}

func (s *session) berInt(b []byte) (int, []byte, error) {
	t, body, rest, ok := berSplit(b)
	if !ok || (t != 0x02 && t != 0x0a) || len(body) == 0 || len(body) > 4 {
		return 0, nil, s.errorf("a malformed LDAP message")
	}
	n := 0
	for _, x := range body {
		n = n<<8 | int(x)
	}
	return n, rest, nil
}

func (s *session) berEnum(b []byte) (int, []byte, error) { return s.berInt(b) }

func (s *session) berString(b []byte) (string, []byte, error) {
	t, body, rest, ok := berSplit(b)
	if !ok || t != 0x04 {
		return "", b, s.errorf("a malformed LDAP result")
	}
	return string(body), rest, nil
}
