package lab

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// starttlsEndpoints are services that start in the clear and upgrade to
// TLS: for each protocol a good one, one that offers no upgrade, and for
// SMTP (served by go-smtp, as real mail servers speak it) and PostgreSQL
// (pgproto3, the backend side of pgx) expired, wrong-host and legacy
// certificates or versions behind the upgrade. The protocols no
// well-kept Go server library covers here (POP3, FTP's control channel,
// MySQL's greeting, the LDAP StartTLS answer, XMPP's stream features)
// get small servers of their own that answer as Dovecot, vsftpd, MariaDB,
// slapd and Prosody do (transcripts in docs/protocols.md).
func starttlsEndpoints() []*Endpoint {
	expired := CertSpec{From: -100 * day, Until: -10 * day}
	wrongHost := CertSpec{Names: []string{"wrong." + Domain}, CN: "wrong." + Domain}
	legacy := goTLS{min: tls.VersionTLS10, max: tls.VersionTLS10}
	tls10Findings := []string{"protocol-tls10", "protocol-no-tls12", "protocol-no-tls13", "cipher-cbc-only"}
	notOffered := []string{"starttls-not-offered"}
	return []*Endpoint{
		smtpEndpoint("smtp", "SMTP with STARTTLS (go-smtp), valid chain", nil, smtpTLS{}),
		smtpEndpoint("smtp-auth-before-tls", "SMTP with STARTTLS that also offers AUTH PLAIN before TLS (a fact in the JSON)", nil,
			smtpTLS{authBeforeTLS: true}),
		refusedEndpoint(smtpEndpoint("smtp-no-starttls", "SMTP without STARTTLS: EHLO lists none, STARTTLS answered 502", notOffered,
			smtpTLS{off: true})),
		smtpEndpoint("smtp-expired", "SMTP with STARTTLS, leaf expired 10 days ago", []string{"cert-expired"}, smtpTLS{spec: expired}),
		smtpEndpoint("smtp-wrong-host", "SMTP with STARTTLS, certificate for another name", []string{"hostname-mismatch"},
			smtpTLS{spec: wrongHost}),
		smtpEndpoint("smtp-tls10", "SMTP with STARTTLS to TLS 1.0 only", tls10Findings, smtpTLS{g: legacy}),
		smtpsEndpoint("smtps", "SMTP over implicit TLS (submissions, go-smtp)"),
		withTarget(smtpsEndpoint("smtps-undeclared", "SMTP over implicit TLS on an odd port scanned without a protocol: "+
			"the greeting after the handshake says smtp, and no HTTP request or check follows"),
			func(_ *Env, t *scanner.Target) { t.HTTP.Protocol = "" }),
		pgEndpoint("postgres", "PostgreSQL answering SSLRequest with S (pgproto3), valid chain", nil, pgTLS{}),
		refusedEndpoint(pgEndpoint("postgres-ssl-off", "PostgreSQL with ssl = off: SSLRequest answered N", notOffered, pgTLS{off: true})),
		pgEndpoint("postgres-expired", "PostgreSQL, leaf expired 10 days ago behind SSLRequest", []string{"cert-expired"}, pgTLS{spec: expired}),
		pgEndpoint("postgres-tls10", "PostgreSQL with TLS 1.0 only behind SSLRequest", tls10Findings, pgTLS{g: legacy}),
		lineEndpoint("imap", "IMAP with STARTTLS in the greeting's capabilities", nil, imapServer(true)),
		refusedEndpoint(lineEndpoint("imap-no-starttls", "IMAP without STARTTLS: tagged NO", notOffered, imapServer(false))),
		lineEndpoint("pop3", "POP3 with STLS in CAPA", nil, pop3Server(true)),
		refusedEndpoint(lineEndpoint("pop3-no-stls", "POP3 without STLS: -ERR", notOffered, pop3Server(false))),
		lineEndpoint("ftp", "FTP accepting AUTH TLS, which FEAT would not list (as vsftpd)", nil, ftpServer(true)),
		lineEndpoint("ftp-feat-auth-tls", "FTP listing AUTH TLS in FEAT (as ProFTPD) and accepting it", nil, ftpServerFeat(true, " AUTH TLS\r\n")),
		refusedEndpoint(lineEndpoint("ftp-no-auth-tls", "FTP refusing AUTH TLS with 530 (vsftpd with ssl_enable=NO)", notOffered, ftpServer(false))),
		lineEndpoint("mysql", "MySQL greeting with CLIENT_SSL, then TLS", nil, mysqlServer(true)),
		refusedEndpoint(lineEndpoint("mysql-no-ssl", "MySQL greeting without CLIENT_SSL", notOffered, mysqlServer(false))),
		lineEndpoint("ldap", "LDAP answering StartTLS with success (slapd's bytes)", nil, ldapServer(true)),
		refusedEndpoint(lineEndpoint("ldap-no-starttls", "LDAP answering StartTLS with protocolError (slapd without TLS)", notOffered, ldapServer(false))),
		lineEndpoint("xmpp", "XMPP client stream with <starttls><required/></starttls>", nil, xmppServer(true)),
		refusedEndpoint(lineEndpoint("xmpp-no-starttls", "XMPP stream features without starttls, SASL PLAIN in the clear", notOffered, xmppServer(false))),
	}
}

// starttlsHostileEndpoints lie or never finish before TLS: each ends in
// upgrade-failed, naming the step, within its deadline.
func starttlsHostileEndpoints() []*Endpoint {
	smtpTarget := protocolTarget("smtp")
	return []*Endpoint{
		{
			Name:      "smtp-endless-greeting",
			Doc:       "an SMTP greeting line that never ends, a byte at a time",
			WantError: netx.KindUpgradeFailed,
			Start: acceptRaw(func(env *Env, c net.Conn) {
				_, _ = c.Write([]byte("220 "))
				drip(env, c, []byte("x"))
			}),
			Target: func(env *Env, t *scanner.Target) { smtpTarget(env, t); shortTimeout(env, t) },
		},
		{
			Name:      "smtp-endless-ehlo",
			Doc:       "an SMTP server answering EHLO with 250- lines that never end",
			WantError: netx.KindUpgradeFailed,
			Start: acceptRaw(func(env *Env, c net.Conn) {
				_, _ = c.Write([]byte("220 lab ESMTP\r\n"))
				r := bufio.NewReader(c)
				if _, err := r.ReadString('\n'); err != nil {
					return
				}
				line := []byte("250-PIPELINING\r\n")
				for {
					if _, err := c.Write(line); err != nil {
						return
					}
					select {
					case <-env.Done():
						return
					default:
					}
				}
			}),
			Target: smtpTarget,
		},
		{
			Name:      "smtp-injection",
			Doc:       "an SMTP server sending plaintext right after its 220 to STARTTLS, before TLS (response injection)",
			WantError: netx.KindUpgradeFailed,
			Start: acceptRaw(func(env *Env, c net.Conn) {
				if _, ok := smtpUntilStartTLS(c); !ok {
					return
				}
				_, _ = c.Write([]byte("220 2.0.0 Ready to start TLS\r\n250-injected\r\n"))
				drain(c)
			}),
			Target: smtpTarget,
		},
		{
			Name:      "smtp-plaintext-after-go-ahead",
			Doc:       "an SMTP server that says 220 to STARTTLS, then goes on in plaintext instead of a ServerHello",
			WantError: netx.KindProtocol,
			Start: acceptRaw(func(env *Env, c net.Conn) {
				r, ok := smtpUntilStartTLS(c)
				if !ok {
					return
				}
				_, _ = c.Write([]byte("220 2.0.0 Ready to start TLS\r\n"))
				// The ClientHello, then plaintext where the ServerHello
				// belongs.
				if _, err := r.ReadByte(); err != nil {
					return
				}
				_, _ = c.Write([]byte("250 plaintext, not TLS\r\n"))
				drain(c)
			}),
			Target: smtpTarget,
		},
		{
			Name:      "smtp-421",
			Doc:       "an SMTP server whose greeting is 421 (closing)",
			WantError: netx.KindUpgradeFailed,
			Start: acceptRaw(func(env *Env, c net.Conn) {
				_, _ = c.Write([]byte("421 4.3.2 lab Service shutting down\r\n"))
			}),
			Target: smtpTarget,
		},
	}
}

// protocolTarget scans an endpoint as protocol p.
func protocolTarget(p scanner.Protocol) func(*Env, *scanner.Target) {
	return func(_ *Env, t *scanner.Target) { t.HTTP.Protocol = p }
}

// refusedEndpoint marks ep as a service whose scan ends at the refused
// upgrade.
func refusedEndpoint(ep *Endpoint) *Endpoint {
	ep.WantError = netx.KindUpgradeRefused
	return ep
}

// serverTLS is the TLS configuration of a lab server named name: a leaf
// from spec (the endpoint's own name when spec names none), with g's
// versions.
func serverTLS(env *Env, name string, spec CertSpec, g goTLS) (*tls.Config, error) {
	cert, err := leaf(spec)(env, env.ServerName(name))
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: g.min, MaxVersion: g.max, CipherSuites: g.suites}, nil
}

// smtpTLS says how an SMTP endpoint serves: no TLS at all (off), or a
// leaf made from spec with g's versions; authBeforeTLS lists AUTH PLAIN
// before STARTTLS.
type smtpTLS struct {
	off           bool
	spec          CertSpec
	g             goTLS
	authBeforeTLS bool
}

func smtpEndpoint(name, doc string, want []string, st smtpTLS) *Endpoint {
	return &Endpoint{
		Name: name, Doc: doc, Want: want,
		Start: func(env *Env, ln net.Listener) error {
			s := newSMTPServer(env)
			s.AllowInsecureAuth = st.authBeforeTLS
			if !st.off {
				cfg, err := serverTLS(env, name, st.spec, st.g)
				if err != nil {
					return err
				}
				s.TLSConfig = cfg
			}
			env.Go(func() { _ = s.Serve(noteListener{ln, env}) })
			return nil
		},
		Target: protocolTarget("smtp"),
	}
}

// smtpsEndpoint is SMTP over implicit TLS (465): the greeting follows the
// handshake.
func smtpsEndpoint(name, doc string) *Endpoint {
	return &Endpoint{
		Name: name, Doc: doc,
		Start: func(env *Env, ln net.Listener) error {
			cfg, err := serverTLS(env, name, CertSpec{}, goTLS{})
			if err != nil {
				return err
			}
			s := newSMTPServer(env)
			s.TLSConfig = cfg
			env.Go(func() { _ = s.Serve(tls.NewListener(noteListener{ln, env}, cfg)) })
			return nil
		},
		Target: protocolTarget("smtps"),
	}
}

func newSMTPServer(env *Env) *smtp.Server {
	s := smtp.NewServer(smtpBackend{})
	s.Domain = "mail." + Domain
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	env.OnClose(func() { s.Close() })
	return s
}

// smtpBackend accepts nothing: the lab needs the greeting, EHLO and
// STARTTLS, never a message.
type smtpBackend struct{}

func (smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return smtpSession{}, nil }

type smtpSession struct{}

func (smtpSession) Mail(string, *smtp.MailOptions) error { return errors.New("the lab takes no mail") }
func (smtpSession) Rcpt(string, *smtp.RcptOptions) error { return errors.New("the lab takes no mail") }
func (smtpSession) Data(io.Reader) error                 { return errors.New("the lab takes no mail") }
func (smtpSession) Reset()                               {}
func (smtpSession) Logout() error                        { return nil }

// AuthMechanisms makes go-smtp list AUTH PLAIN (before TLS only with
// AllowInsecureAuth); every login fails.
func (smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(string, string, string) error { return errors.New("no logins in the lab") }), nil
}

// pgTLS says how a PostgreSQL endpoint answers SSLRequest.
type pgTLS struct {
	off  bool
	spec CertSpec
	g    goTLS
}

func pgEndpoint(name, doc string, want []string, pt pgTLS) *Endpoint {
	return &Endpoint{
		Name: name, Doc: doc, Want: want,
		Start: func(env *Env, ln net.Listener) error {
			var cfg *tls.Config
			if !pt.off {
				var err error
				if cfg, err = serverTLS(env, name, pt.spec, pt.g); err != nil {
					return err
				}
			}
			env.Accept(ln, func(c net.Conn) { servePostgres(c, cfg) })
			return nil
		},
		Target: protocolTarget("postgres"),
	}
}

// servePostgres answers the startup packets as a PostgreSQL server does:
// S and TLS to an SSLRequest (N when cfg is nil), N to a GSSENCRequest,
// then trust authentication and an idle session until Terminate.
func servePostgres(c net.Conn, cfg *tls.Config) {
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	var conn net.Conn = c
	be := pgproto3.NewBackend(conn, conn)
	for {
		msg, err := be.ReceiveStartupMessage()
		if err != nil {
			return
		}
		switch msg.(type) {
		case *pgproto3.SSLRequest:
			if cfg == nil || conn != c {
				if _, err := c.Write([]byte{'N'}); err != nil {
					return
				}
				continue
			}
			// The client sends nothing after an SSLRequest until the
			// answer, so nothing is buffered past it.
			if _, err := c.Write([]byte{'S'}); err != nil {
				return
			}
			tc := tls.Server(c, cfg)
			if err := tc.Handshake(); err != nil {
				return
			}
			conn = tc
			be = pgproto3.NewBackend(conn, conn)
		case *pgproto3.GSSEncRequest:
			if _, err := conn.Write([]byte{'N'}); err != nil {
				return
			}
		case *pgproto3.StartupMessage:
			be.Send(&pgproto3.AuthenticationOk{})
			be.Send(&pgproto3.ParameterStatus{Name: "server_version", Value: "17.0 (tlsaudit lab)"})
			be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
			if be.Flush() != nil {
				return
			}
			for {
				m, err := be.Receive()
				if err != nil {
					return
				}
				if _, ok := m.(*pgproto3.Terminate); ok {
					return
				}
			}
		default:
			return
		}
	}
}

// A lineServer plays a server's side of the exchange before TLS over the
// raw connection, and returns true when TLS is to start.
type lineServer struct {
	protocol scanner.Protocol
	serve    func(c net.Conn, r *bufio.Reader) bool
	// proto are the TLS server's ALPN protocols.
	tls bool
}

func lineEndpoint(name, doc string, want []string, ls lineServer) *Endpoint {
	return &Endpoint{
		Name: name, Doc: doc, Want: want,
		Start: func(env *Env, ln net.Listener) error {
			cfg, err := serverTLS(env, name, CertSpec{}, goTLS{})
			if err != nil {
				return err
			}
			env.Accept(ln, func(c net.Conn) {
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				r := bufio.NewReaderSize(c, 1024)
				if !ls.serve(c, r) || !ls.tls {
					drain(c)
					return
				}
				// A MySQL client sends its ClientHello right behind the
				// SSLRequest, so part of it may sit in r already.
				tc := tls.Server(bufferedConn{c, r}, cfg)
				if tc.Handshake() == nil {
					drain(tc)
				}
			})
			return nil
		},
		Target: protocolTarget(ls.protocol),
	}
}

// readCommand reads one command line (without its line end), at most
// 1 KiB.
func readCommand(r *bufio.Reader) (string, bool) {
	l, err := r.ReadSlice('\n')
	if err != nil {
		return "", false
	}
	return strings.TrimRight(string(l), "\r\n"), true
}

// imapServer answers as Dovecot does (reached from another address, so
// not "secured"): capabilities in the greeting, LOGINDISABLED before TLS.
func imapServer(offer bool) lineServer {
	return lineServer{protocol: "imap", tls: offer, serve: func(c net.Conn, r *bufio.Reader) bool {
		caps := "IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ LOGINDISABLED"
		if offer {
			caps = "IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED"
		}
		_, _ = io.WriteString(c, "* OK [CAPABILITY "+caps+"] tlsaudit lab ready.\r\n")
		for {
			l, ok := readCommand(r)
			if !ok {
				return false
			}
			tag, cmd, _ := strings.Cut(l, " ")
			switch strings.ToUpper(cmd) {
			case "CAPABILITY":
				_, _ = io.WriteString(c, "* CAPABILITY "+caps+"\r\n"+tag+" OK Capability completed.\r\n")
			case "STARTTLS":
				if !offer {
					_, _ = io.WriteString(c, tag+" BAD TLS support isn't enabled.\r\n")
					continue
				}
				_, _ = io.WriteString(c, tag+" OK Begin TLS negotiation now.\r\n")
				return true
			case "LOGOUT":
				_, _ = io.WriteString(c, "* BYE Logging out\r\n"+tag+" OK Logout completed.\r\n")
				return false
			default:
				_, _ = io.WriteString(c, tag+" BAD Error in IMAP command received by server.\r\n")
			}
		}
	}}
}

// pop3Server answers as Dovecot does.
func pop3Server(offer bool) lineServer {
	return lineServer{protocol: "pop3", tls: offer, serve: func(c net.Conn, r *bufio.Reader) bool {
		_, _ = io.WriteString(c, "+OK tlsaudit lab ready.\r\n")
		for {
			l, ok := readCommand(r)
			if !ok {
				return false
			}
			switch strings.ToUpper(l) {
			case "CAPA":
				caps := "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\n"
				if offer {
					caps += "STLS\r\nSASL\r\n"
				} else {
					caps += "USER\r\nSASL PLAIN\r\n"
				}
				_, _ = io.WriteString(c, caps+".\r\n")
			case "STLS":
				if !offer {
					_, _ = io.WriteString(c, "-ERR TLS support isn't enabled.\r\n")
					continue
				}
				_, _ = io.WriteString(c, "+OK Begin TLS negotiation now.\r\n")
				return true
			case "QUIT":
				_, _ = io.WriteString(c, "+OK Logging out\r\n")
				return false
			default:
				_, _ = io.WriteString(c, "-ERR Unknown command.\r\n")
			}
		}
	}}
}

// ftpServer answers as vsftpd does: AUTH TLS accepted though FEAT would
// not list it, or 530 with TLS off.
func ftpServer(offer bool) lineServer { return ftpServerFeat(offer, "") }

// ftpServerFeat is ftpServer whose FEAT also lists feat (" AUTH TLS", as
// ProFTPD and Pure-FTPd do).
func ftpServerFeat(offer bool, feat string) lineServer {
	return lineServer{protocol: "ftp", tls: offer, serve: func(c net.Conn, r *bufio.Reader) bool {
		_, _ = io.WriteString(c, "220 (tlsaudit lab FTP)\r\n")
		for {
			l, ok := readCommand(r)
			if !ok {
				return false
			}
			switch strings.ToUpper(l) {
			case "FEAT":
				_, _ = io.WriteString(c, "211-Features:\r\n"+feat+" EPSV\r\n PASV\r\n PBSZ\r\n PROT\r\n211 End\r\n")
			case "AUTH TLS", "AUTH SSL":
				if !offer {
					_, _ = io.WriteString(c, "530 Please login with USER and PASS.\r\n")
					continue
				}
				_, _ = io.WriteString(c, "234 Proceed with negotiation.\r\n")
				return true
			case "QUIT":
				_, _ = io.WriteString(c, "221 Goodbye.\r\n")
				return false
			default:
				_, _ = io.WriteString(c, "530 Please login with USER and PASS.\r\n")
			}
		}
	}}
}

// mysqlServer sends a MariaDB-like HandshakeV10 greeting, CLIENT_SSL set
// when offer, and starts TLS on the client's SSLRequest.
func mysqlServer(offer bool) lineServer {
	return lineServer{protocol: "mysql", tls: offer, serve: func(c net.Conn, r *bufio.Reader) bool {
		caps := uint32(0x0001 | 0x0200 | 0x8000 | 0x80000)
		if offer {
			caps |= 0x0800
		}
		p := []byte{10}
		p = append(p, "5.5.5-10.11.0-MariaDB-tlsaudit-lab"...)
		p = append(p, 0, 1, 0, 0, 0)                // NUL, connection id
		p = append(p, "scramble"...)                // auth-plugin-data part 1
		p = append(p, 0, byte(caps), byte(caps>>8)) // filler, lower capabilities
		p = append(p, 45, 2, 0, byte(caps>>16), byte(caps>>24), 21)
		p = append(p, make([]byte, 10)...)
		p = append(p, "twelve-bytes\x00"...)
		p = append(p, "mysql_native_password\x00"...)
		hdr := []byte{byte(len(p)), byte(len(p) >> 8), byte(len(p) >> 16), 0}
		if _, err := c.Write(append(hdr, p...)); err != nil {
			return false
		}
		var h [4]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return false
		}
		n := int(h[0]) | int(h[1])<<8 | int(h[2])<<16
		if n != 32 || !offer {
			return false
		}
		body := make([]byte, n)
		_, err := io.ReadFull(r, body)
		return err == nil && body[1]&0x08 != 0
	}}
}

// ldapServer answers an ExtendedRequest for StartTLS with slapd's bytes:
// success without a responseName, or protocolError "unsupported extended
// operation" when TLS is not configured.
func ldapServer(offer bool) lineServer {
	return lineServer{protocol: "ldap", tls: offer, serve: func(c net.Conn, r *bufio.Reader) bool {
		var h [2]byte
		if _, err := io.ReadFull(r, h[:]); err != nil || h[0] != 0x30 || h[1] >= 0x80 {
			return false
		}
		body := make([]byte, h[1])
		if _, err := io.ReadFull(r, body); err != nil || len(body) < 3 {
			return false
		}
		id := body[2]
		if offer {
			_, _ = c.Write([]byte{0x30, 0x0c, 0x02, 0x01, id, 0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00})
			return true
		}
		diag := "unsupported extended operation"
		resp := append([]byte{0x0a, 0x01, 0x02, 0x04, 0x00, 0x04, byte(len(diag))}, diag...)
		op := append([]byte{0x78, byte(len(resp))}, resp...)
		msg := append([]byte{0x02, 0x01, id}, op...)
		_, _ = c.Write(append([]byte{0x30, byte(len(msg))}, msg...))
		return false
	}}
}

// xmppServer answers a client stream header with stream features as
// Prosody does.
func xmppServer(offer bool) lineServer {
	return lineServer{protocol: "xmpp", tls: offer, serve: func(c net.Conn, r *bufio.Reader) bool {
		if _, err := r.ReadString('>'); err != nil { // the XML declaration
			return false
		}
		if _, err := r.ReadString('>'); err != nil { // <stream:stream ...>
			return false
		}
		features := "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"
		if offer {
			features = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
		}
		_, _ = io.WriteString(c, "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0' xmlns='jabber:client' from='lab' id='1'><stream:features>"+features+"</stream:features>")
		if !offer {
			return false
		}
		if _, err := r.ReadString('>'); err != nil { // <starttls/>
			return false
		}
		_, _ = io.WriteString(c, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
		return true
	}}
}

// bufferedConn reads what r buffered before the rest of the connection.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (b bufferedConn) Read(p []byte) (int, error) { return b.r.Read(p) }

// smtpUntilStartTLS plays a hand-built SMTP server up to the client's
// STARTTLS command (greeting, EHLO answered with STARTTLS offered), for
// the hostile endpoints that misbehave after it; ok is false when the
// client went away first.
func smtpUntilStartTLS(c net.Conn) (r *bufio.Reader, ok bool) {
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = c.Write([]byte("220 lab ESMTP\r\n"))
	r = bufio.NewReader(c)
	if _, err := r.ReadString('\n'); err != nil {
		return r, false
	}
	_, _ = c.Write([]byte("250-lab\r\n250 STARTTLS\r\n"))
	if _, err := r.ReadString('\n'); err != nil {
		return r, false
	}
	return r, true
}
