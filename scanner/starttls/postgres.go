package starttls

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"strings"
)

// sslRequest is PostgreSQL's SSLRequest: length 8, code 80877103.
var sslRequest = []byte{0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f}

// Postgres sends the SSLRequest and reads the one-byte answer
// (PostgreSQL protocol, "SSL Session Encryption").
func Postgres(ctx context.Context, c net.Conn, _ Config) (*Facts, error) {
	s := newSession(ctx, "postgres", c, 4<<10)
	err := postgres(s)
	return s.facts, err
}

func postgres(s *session) error {
	if err := s.send("SSLRequest", sslRequest); err != nil {
		return err
	}
	b, err := s.r.ReadByte()
	if err != nil {
		return s.ioError(err)
	}
	switch b {
	case 'S':
		return s.goAhead()
	case 'N':
		return s.refused(false, "answered N (the server has TLS off)", "N")
	case 'E':
		// Servers that do not know the request, and some poolers, answer
		// with an ErrorResponse.
		var hdr [4]byte
		if _, err := io.ReadFull(s.r, hdr[:]); err != nil {
			return s.ioError(err)
		}
		n := binary.BigEndian.Uint32(hdr[:])
		if n < 4 || n > 4<<10 {
			return s.errorf("answered an ErrorResponse of %d bytes", n)
		}
		body := make([]byte, n-4)
		if _, err := io.ReadFull(s.r, body); err != nil {
			return s.ioError(err)
		}
		return s.errorf("answered ErrorResponse: %s", excerpt(pgError(body)))
	}
	return s.errorf("answered 0x%02x, neither S nor N", b)
}

// pgError is the severity and message of an ErrorResponse's fields.
func pgError(body []byte) string {
	var sev, msg string
	for _, f := range strings.Split(string(body), "\x00") {
		if f == "" {
			continue
		}
		switch f[0] {
		case 'S':
			sev = f[1:]
		case 'M':
			msg = f[1:]
		}
	}
	return strings.TrimSpace(sev + " " + msg)
}
