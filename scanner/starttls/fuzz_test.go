package starttls

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// clients are every protocol's exchange, by name.
var clients = map[string]Client{
	"smtp": SMTP, "imap": IMAP, "pop3": POP3, "ftp": FTP, "ldap": LDAP,
	"postgres": Postgres, "mysql": MySQL, "xmpp": XMPP,
}

// exchangeWith runs client against a loopback server that sends server,
// reads and drops whatever the client writes, and hangs up when the
// client does.
func exchangeWith(t testing.TB, client Client, server []byte) (*Facts, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		s, err := ln.Accept()
		if err != nil {
			return
		}
		defer s.Close()
		_ = s.SetDeadline(time.Now().Add(5 * time.Second))
		go func() {
			_, _ = s.Write(server)
			// Done talking, still listening: the client reads EOF and
			// its writes still land.
			_ = s.(*net.TCPConn).CloseWrite()
		}()
		_, _ = io.Copy(io.Discard, s)
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	return client(context.Background(), c, Config{ServerName: "mail.test"})
}

// FuzzServerBytes: whatever a server sends, every exchange ends (no
// panic, no hang past the deadline) with facts, and an upgrade is only
// ever reported when no error was.
func FuzzServerBytes(f *testing.F) {
	for _, seed := range []string{
		"220 mail.test ESMTP\r\n250-mail.test\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n220 go ahead\r\n",
		"220 x\r\n250 x\r\n454 4.7.0 TLS not available\r\n",
		"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\na2 OK go\r\n",
		"* OK ready\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na1 OK done\r\na2 NO\r\n",
		"+OK ready\r\n+OK\r\nSTLS\r\nUSER\r\n..dot\r\n.\r\n+OK go\r\n",
		"120 soon\r\n220-x\r\nfree text\r\n220 x\r\n234 go\r\n",
		"\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00",
		"\x30\x84\x7f\xff\xff\xff",
		"S", "N", "SX", "E\x00\x00\x00\x10SFATAL\x00Mno\x00\x00",
		"\x20\x00\x00\x00\x0a5.5.5-x\x00\x01\x00\x00\x00abcdefgh\x00\xff\xff",
		"<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features><proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
		"<stream:stream version='1.0'><stream:error><host-unknown/><text>no</text></stream:error>",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, server []byte) {
		for name, client := range clients {
			facts, err := exchangeWith(t, client, server)
			if facts == nil {
				t.Fatalf("%s: no facts", name)
			}
			if facts.Upgraded && err != nil {
				t.Fatalf("%s: upgraded and failed: %v", name, err)
			}
			if facts.Refused && err == nil {
				t.Fatalf("%s: refused without an error", name)
			}
		}
	})
}

// TestCapsEndEndlessReplies: a reply that never ends is cut at the caps
// within the deadline, for every line protocol.
func TestCapsEndEndlessReplies(t *testing.T) {
	for name, server := range map[string][]byte{
		"smtp": repeat("220-", "x", 100),
		"ftp":  repeat("220-", "x", 100),
		"pop3": append([]byte("+OK\r\n+OK\r\n"), repeat("", "CAP", 100)...),
		"imap": append([]byte("* OK ready\r\n"), repeat("* ", "CAPABILITY X", 100)...),
	} {
		_, err := exchangeWith(t, clients[name], server)
		if err == nil || !strings.Contains(err.Error(), " than 64 lines") {
			t.Errorf("%s: %v, want the reply cut at 64 lines", name, err)
		}
	}
}

func repeat(prefix, line string, n int) []byte {
	var b []byte
	for range n {
		b = append(b, prefix+line+"\r\n"...)
	}
	return b
}
