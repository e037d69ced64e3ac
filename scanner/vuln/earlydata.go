package vuln

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/tls13rec"
	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
)

// earlyData completes one TLS 1.3 handshake (crypto/tls, certificate not
// verified: nothing secret is sent) and reads the NewSessionTickets the
// server sends after it, unprotected with the server's application traffic
// secret from the key log: a ticket whose early_data extension allows more
// than 0 bytes means the server takes 0-RTT data on resumption, which an
// attacker can replay (RFC 8446 section 8). crypto/tls records that limit
// only for QUIC, hence the own record layer. No resumption and no early
// data is attempted. Only for servers that accept TLS 1.3; one connection.
func (p *prober) earlyData(ctx context.Context, in Input) Outcome {
	if len(in.Versions[tlsinfo.VersionTLS13]) == 0 {
		return outcome(NotTested, "the server does not accept TLS 1.3")
	}
	c, err := p.dial(ctx)
	if err != nil {
		return outcome(Undecided, err.Error())
	}
	defer c.Close()
	rec := &recordingConn{Conn: c}
	var keylog bytes.Buffer
	askedCert := false
	tc := tls.Client(rec, &tls.Config{
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			askedCert = true
			return &tls.Certificate{}, nil
		},
		ServerName:         p.cfg.ServerName,
		NextProtos:         p.cfg.ALPN, // a server that requires its ALPN (PostgreSQL direct TLS) refuses a hello without it
		InsecureSkipVerify: true,       // the probe reads tickets; trust is the shared handshake's verdict
		MinVersion:         tls.VersionTLS13,
		MaxVersion:         tls.VersionTLS13,
		KeyLogWriter:       &keylog,
		// Without a session cache crypto/tls offers no psk_key_exchange_modes,
		// and servers send no tickets to such a client.
		ClientSessionCache: tls.NewLRUClientSessionCache(1),
	})
	if err := tc.HandshakeContext(ctx); err != nil {
		if strings.Contains(err.Error(), "failed to parse certificate") {
			// cert-malformed's finding; crypto/tls goes no further.
			return outcome(NotTested, "crypto/tls cannot parse the server's certificate")
		}
		return outcome(Undecided, "TLS 1.3 handshake failed: "+err.Error())
	}
	secret, ok := tls13rec.KeyLogSecret(keylog.String(), "SERVER_TRAFFIC_SECRET_0")
	if !ok {
		return outcome(Undecided, "no server traffic secret in the key log")
	}
	prot, err := tls13rec.NewProtector(tc.ConnectionState().CipherSuite, secret)
	if err != nil {
		return outcome(Undecided, err.Error())
	}
	// Tickets follow the handshake at once (OpenSSL after the client's
	// Finished, crypto/tls with its own), so a server that sends none is
	// waited for briefly only.
	_ = c.SetReadDeadline(time.Now().Add(p.cfg.quietWait()))
	r := ticketReader{prot: prot}
	for {
		if max, tickets, done := r.scan(rec.buf.Bytes()); done {
			if max > 0 {
				return outcome(Vulnerable, "the server's session ticket allows "+strconv.FormatUint(uint64(max), 10)+" bytes of 0-RTT early data",
					"max_early_data_size", strconv.FormatUint(uint64(max), 10))
			}
			return outcome(NotVulnerable, strconv.Itoa(tickets)+" session ticket(s) without early_data")
		}
		if rec.buf.Len() > maxFlight {
			return outcome(Undecided, "the server sent more than "+strconv.Itoa(maxFlight)+" bytes without a session ticket")
		}
		var b [4096]byte
		n, err := c.Read(b[:])
		rec.buf.Write(b[:n])
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) || r.tickets > 0 {
				if r.tickets > 0 {
					return outcome(NotVulnerable, strconv.Itoa(r.tickets)+" session ticket(s) without early_data")
				}
				return outcome(NotVulnerable, "the server sent no session ticket, so no resumption and no 0-RTT")
			}
			if askedCert {
				// A TLS 1.3 server that requires a client certificate
				// ends the connection only after the client's Finished.
				return outcome(NotTested, "the server requires a client certificate, which the probe does not send")
			}
			return outcome(Undecided, "reading session tickets: "+err.Error())
		}
	}
}

// recordingConn keeps every byte the server sent, handshake included,
// since crypto/tls may have read the first tickets into its own buffer.
type recordingConn struct {
	net.Conn
	buf bytes.Buffer
}

func (r *recordingConn) Read(b []byte) (int, error) {
	n, err := r.Conn.Read(b)
	if r.buf.Len() <= maxFlight {
		r.buf.Write(b[:n])
	}
	return n, err
}

// ticketReader walks the server's records from the start: handshake
// records protected by other keys fail to open and are skipped; from the
// first record the application key opens, each is read in sequence.
type ticketReader struct {
	prot    *tls13rec.Protector
	off     int
	opened  bool
	tickets int
}

// scan reads the whole records in stream from where it stopped. done is
// true at the first ticket that allows early data, or at the first
// application record that is not a ticket (tickets come first).
func (t *ticketReader) scan(stream []byte) (max uint32, tickets int, done bool) {
	for len(stream)-t.off >= 5 {
		n := int(stream[t.off+3])<<8 | int(stream[t.off+4])
		if len(stream)-t.off < 5+n {
			break
		}
		rec := stream[t.off : t.off+5+n]
		t.off += 5 + n
		if rec[0] != tls13rec.TypeApplicationData {
			continue
		}
		typ, content, err := t.prot.Open(rec)
		if err != nil {
			if t.opened {
				return 0, t.tickets, true
			}
			continue
		}
		t.opened = true
		if typ != tls13rec.TypeHandshake {
			return 0, t.tickets, t.tickets > 0
		}
		for _, m := range tls13rec.Messages(content) {
			if max, ok := tls13rec.MaxEarlyData(m); ok {
				t.tickets++
				if max > 0 {
					return max, t.tickets, true
				}
			}
		}
	}
	// Servers send their tickets in one flight and give each the same
	// early-data limit: once one is read and nothing more is pending,
	// stop rather than wait out the quiet period.
	return 0, t.tickets, t.tickets > 0 && t.off == len(stream)
}
