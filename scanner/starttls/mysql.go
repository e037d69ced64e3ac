package starttls

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
)

// MySQL capability flags (MySQL source docs, "Capabilities Flags").
const (
	mysqlLongPassword = 0x1
	mysqlProtocol41   = 0x200
	mysqlSSL          = 0x800
	mysqlSecureConn   = 0x8000
	mysqlPluginAuth   = 0x80000
)

// MySQL reads the server's greeting and, when it offers CLIENT_SSL, sends
// the SSLRequest packet (MySQL/MariaDB "Connection Phase").
func MySQL(ctx context.Context, c net.Conn, _ Config) (*Facts, error) {
	s := newSession(ctx, "mysql", c, 4<<10)
	err := mysql(s)
	return s.facts, err
}

func mysql(s *session) error {
	s.step = "greeting"
	var hdr [4]byte
	if _, err := io.ReadFull(s.r, hdr[:]); err != nil {
		return s.ioError(err)
	}
	n := int(hdr[0]) | int(hdr[1])<<8 | int(hdr[2])<<16
	if n < 1 || n > 4<<10 {
		return s.errorf("a greeting of %d bytes (at most %d accepted)", n, 4<<10)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(s.r, p); err != nil {
		return s.ioError(err)
	}
	switch p[0] {
	case 0xff:
		code := 0
		msg := []byte{}
		if len(p) >= 3 {
			code = int(binary.LittleEndian.Uint16(p[1:3]))
			msg = p[3:]
		}
		return s.errorf("error %d instead of a greeting: %s", code, excerpt(string(msg)))
	case 0x0a:
	default:
		return s.errorf("protocol version %d, not 10", p[0])
	}
	end := bytes.IndexByte(p[1:], 0)
	if end < 0 {
		return s.errorf("a greeting without a server version")
	}
	version := string(p[1 : 1+end])
	s.facts.Greeting = excerpt(version)
	off := 1 + end + 1 + 4 + 8 + 1 // version NUL, connection id, scramble, filler
	if len(p) < off+2 {
		return s.errorf("a greeting too short for its capability flags")
	}
	caps := binary.LittleEndian.Uint16(p[off:])
	s.facts.Listed = true
	s.facts.Advertised = caps&mysqlSSL != 0
	if !s.facts.Advertised {
		// The client cannot ask: the SSL request is only defined for a
		// server that set the flag.
		return s.refused(false, "the greeting lacks CLIENT_SSL", "server version "+version)
	}
	req := make([]byte, 4+32)
	req[0], req[3] = 32, hdr[3]+1
	binary.LittleEndian.PutUint32(req[4:], mysqlSSL|mysqlProtocol41|mysqlSecureConn|mysqlPluginAuth|mysqlLongPassword)
	binary.LittleEndian.PutUint32(req[8:], 1<<24)
	req[12] = 33 // utf8_general_ci
	if err := s.send("SSL request", req); err != nil {
		return err
	}
	return s.goAhead()
}
