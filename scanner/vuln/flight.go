package vuln

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// Record and message numbers the probes use.
const (
	recordCCS       = 20
	recordAlert     = 21
	recordHandshake = 22
	recordHeartbeat = 24

	msgServerHello     = 2
	msgCertificate     = 11
	msgServerHelloDone = 14

	extHeartbeat         = 15
	extExtendedMasterSec = 23
	extRenegotiationInfo = 0xff01

	alertUnexpectedMessage = 10

	// maxFlight bounds what a probe reads of the server's first flight.
	maxFlight = 256 << 10
	// maxRecord is the largest record payload accepted (2^14 plus the
	// expansion RFC 5246 allows).
	maxRecord = 1<<14 + 2048
)

// dial opens one probe connection and counts it.
func (p *prober) dial(ctx context.Context) (net.Conn, error) {
	p.conns.Add(1)
	c, _, serr := p.d.Dial(ctx, p.addr, p.cfg.Timeout)
	if serr != nil {
		return nil, serr
	}
	_ = c.SetDeadline(time.Now().Add(p.cfg.timeout()))
	return c, nil
}

func (c Config) timeout() time.Duration {
	if c.Timeout <= 0 {
		return 10 * time.Second
	}
	return c.Timeout
}

// quietWait is how long a probe waits to see whether a server stays silent
// after a message a patched server rejects at once: short, since patched
// servers answer within a round trip, and bounded by the probe timeout.
func (c Config) quietWait() time.Duration { return min(c.timeout(), 3*time.Second) }

// A flight is the server's answer to a ClientHello, read up to
// ServerHelloDone.
type flight struct {
	hello *enum.ServerHello
	// leaf is the DER of the first certificate, when one was sent.
	leaf []byte
	// alert is the fatal alert sent instead of a ServerHello, or -1.
	alert int
}

// errRefused: the server closed or reset the connection instead of
// answering the hello.
var errRefused = errors.New("the server closed the connection without a ServerHello")

// readFlight reads records until ServerHelloDone (or a TLS 1.3
// ServerHello, after which everything is encrypted).
func readFlight(r io.Reader) (*flight, error) {
	f := &flight{alert: -1}
	var hs []byte
	total := 0
	for {
		typ, payload, err := readRecord(r)
		if err != nil {
			if f.hello == nil && closed(err) {
				return nil, errRefused
			}
			return nil, err
		}
		if total += len(payload); total > maxFlight {
			return nil, fmt.Errorf("server flight longer than %d bytes", maxFlight)
		}
		switch typ {
		case recordAlert:
			if len(payload) < 2 {
				return nil, errors.New("short alert")
			}
			if payload[0] == 1 && payload[1] != 0 {
				continue // warning
			}
			if f.hello == nil {
				f.alert = int(payload[1])
				return f, nil
			}
			return nil, fmt.Errorf("alert %d in the middle of the server flight", payload[1])
		case recordHandshake:
		default:
			return nil, fmt.Errorf("record type %d in the server flight", typ)
		}
		hs = append(hs, payload...)
		for len(hs) >= 4 {
			n := int(hs[1])<<16 | int(hs[2])<<8 | int(hs[3])
			if len(hs) < 4+n {
				break
			}
			mtype, body := hs[0], hs[4:4+n]
			hs = hs[4+n:]
			if f.hello == nil {
				if mtype != msgServerHello {
					return nil, fmt.Errorf("handshake message %d before ServerHello", mtype)
				}
				if f.hello, err = enum.ParseServerHello(body); err != nil {
					return nil, err
				}
				if f.hello.Version >= tlsinfo.VersionTLS13 {
					return f, nil
				}
				continue
			}
			switch mtype {
			case msgCertificate:
				f.leaf = firstCertificate(body)
			case msgServerHelloDone:
				return f, nil
			}
		}
	}
}

func firstCertificate(body []byte) []byte {
	if len(body) < 6 {
		return nil
	}
	n := int(body[3])<<16 | int(body[4])<<8 | int(body[5])
	if len(body) < 6+n {
		return nil
	}
	return body[6 : 6+n]
}

// readRecord reads one TLS record (type and payload).
func readRecord(r io.Reader) (byte, []byte, error) {
	hdr := make([]byte, 5)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return 0, nil, err
	}
	if hdr[0] < recordCCS || hdr[0] > recordHeartbeat || hdr[1] != 3 {
		return 0, nil, netx.NotTLS(hdr)
	}
	n := int(hdr[3])<<8 | int(hdr[4])
	if n > maxRecord {
		return 0, nil, fmt.Errorf("record of %d bytes", n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	return hdr[0], payload, nil
}

// closed reports whether err is the peer ending the connection.
func closed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}

func timedOut(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) || netx.IsTimeout(err) }

// openFlight dials, sends h and reads the server's flight. The connection
// is returned open for the probe's next message; the caller closes it.
func (p *prober) openFlight(ctx context.Context, h enum.Hello) (net.Conn, *flight, error) {
	h.Extra = append(h.Extra[:len(h.Extra):len(h.Extra)], enum.ALPNExtension(p.cfg.ALPN)...)
	msg, err := h.Marshal()
	if err != nil {
		return nil, nil, err
	}
	c, err := p.dial(ctx)
	if err != nil {
		return nil, nil, err
	}
	if _, err := c.Write(msg); err != nil {
		c.Close()
		if closed(err) {
			return nil, nil, errRefused
		}
		return nil, nil, err
	}
	f, err := readFlight(c)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, f, nil
}

// record frames payload as one record of typ at version v.
func record(typ byte, v uint16, payload []byte) []byte {
	return append([]byte{typ, byte(v >> 8), byte(v), byte(len(payload) >> 8), byte(len(payload))}, payload...)
}

// hello is the probe hello at version v offering suites.
func (p *prober) hello(v uint16, suites []uint16) enum.Hello {
	return enum.Hello{Version: v, Suites: suites, Groups: tlsinfo.OfferGroups(v), ServerName: p.cfg.ServerName}
}

func isReset(err error) bool { return errors.Is(err, syscall.ECONNRESET) }
