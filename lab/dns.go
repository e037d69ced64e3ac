package lab

import (
	"net"

	"golang.org/x/net/dns/dnsmessage"

	// Aliased: the lab has a function named hostname.
	hostnames "github.com/tlsaudit/tlsaudit/internal/hostname"
)

// dnsServer answers A and AAAA queries for names registered with
// Env.AddName and NXDOMAIN for everything else, on a loopback UDP port.
type dnsServer struct {
	addr string
}

func startDNS(env *Env) (*dnsServer, error) {
	pc, err := net.ListenPacket("udp", net.JoinHostPort(env.Host, "0"))
	if err != nil {
		return nil, err
	}
	env.OnClose(func() { pc.Close() })
	env.Go(func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if resp, ok := answer(env, buf[:n]); ok {
				_, _ = pc.WriteTo(resp, from)
			}
		}
	})
	return &dnsServer{addr: pc.LocalAddr().String()}, nil
}

func answer(env *Env, query []byte) ([]byte, bool) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil, false
	}
	q, err := p.Question()
	if err != nil {
		return nil, false
	}
	name := hostnames.Fold(q.Name.String())
	addrs := env.lookup(name)
	rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired}
	if len(addrs) == 0 {
		rh.RCode = dnsmessage.RCodeNameError
	}
	b := dnsmessage.NewBuilder(nil, rh)
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		return nil, false
	}
	if err := b.Question(q); err != nil {
		return nil, false
	}
	if err := b.StartAnswers(); err != nil {
		return nil, false
	}
	for _, a := range addrs {
		rr := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60}
		switch {
		case q.Type == dnsmessage.TypeA && a.Is4():
			err = b.AResource(rr, dnsmessage.AResource{A: a.As4()})
		case q.Type == dnsmessage.TypeAAAA && a.Is6():
			err = b.AAAAResource(rr, dnsmessage.AAAAResource{AAAA: a.As16()})
		}
		if err != nil {
			return nil, false
		}
	}
	resp, err := b.Finish()
	return resp, err == nil
}
