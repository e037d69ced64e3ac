package vuln

import (
	"context"
	"strconv"
	"time"
)

// ccsInjection (CVE-2014-0224) sends, right after the server's first
// flight and before any key exchange, a ChangeCipherSpec record
// `14 VV 00 01 01`. A patched server rejects it at once with a fatal
// unexpected_message alert; OpenSSL before 1.0.1h accepts it silently and
// switches to keys derived from an empty master secret. Only on silence is
// a second ChangeCipherSpec sent, as testssl does: a vulnerable server then
// fails to decrypt it (bad_record_mac or decryption_failed). One connection.
func (p *prober) ccsInjection(ctx context.Context, in Input) Outcome {
	v := in.legacyVersion()
	if v == 0 {
		return outcome(NotTested, "the server accepts no TLS 1.0-1.2 hello")
	}
	c, f, err := p.openFlight(ctx, p.hello(v, in.Versions[v]))
	if err != nil {
		return outcome(Undecided, err.Error())
	}
	defer c.Close()
	if f.hello == nil {
		return outcome(Undecided, errNoHello.Error())
	}
	ccs := record(recordCCS, f.hello.Version, []byte{1})
	if _, err := c.Write(ccs); err != nil {
		return outcome(NotVulnerable, "the server closed the connection at the early ChangeCipherSpec")
	}
	first := p.nextAnswer(c)
	switch {
	case first.alert >= 0:
		return outcome(NotVulnerable, "the server rejected the early ChangeCipherSpec with alert "+strconv.Itoa(first.alert))
	case first.closed:
		return outcome(NotVulnerable, "the server closed the connection at the early ChangeCipherSpec")
	case !first.silent:
		return outcome(Undecided, "the server answered the early ChangeCipherSpec with "+first.String())
	}
	if _, err := c.Write(ccs); err != nil {
		return outcome(Undecided, "the server accepted the early ChangeCipherSpec silently, then closed the connection")
	}
	second := p.nextAnswer(c)
	if second.alert == 20 || second.alert == 21 { // bad_record_mac, decryption_failed
		return outcome(Vulnerable, "the server accepted an early ChangeCipherSpec and then failed to decrypt with alert "+
			strconv.Itoa(second.alert), "alert", strconv.Itoa(second.alert))
	}
	return outcome(Undecided, "the server accepted the early ChangeCipherSpec silently, then answered with "+second.String())
}

// answer is what a server did after a probe message, reduced to what
// verdicts compare.
type answer struct {
	alert  int
	closed bool
	silent bool
	record int // type of a non-alert record, or 0
	reset  bool
}

func (a answer) String() string {
	switch {
	case a.alert >= 0:
		return "alert " + strconv.Itoa(a.alert)
	case a.reset:
		return "connection reset"
	case a.closed:
		return "connection closed"
	case a.silent:
		return "no answer"
	}
	return "record type " + strconv.Itoa(a.record)
}

// nextAnswer reads the first alert or record the server sends within the
// quiet wait.
func (p *prober) nextAnswer(c interface {
	Read([]byte) (int, error)
	SetReadDeadline(time.Time) error
}) answer {
	_ = c.SetReadDeadline(time.Now().Add(p.cfg.quietWait()))
	typ, payload, err := readRecord(c)
	switch {
	case err != nil && timedOut(err):
		return answer{alert: -1, silent: true}
	case err != nil && isReset(err):
		return answer{alert: -1, closed: true, reset: true}
	case err != nil:
		return answer{alert: -1, closed: true}
	case typ == recordAlert && len(payload) >= 2:
		return answer{alert: int(payload[1])}
	}
	return answer{alert: -1, record: int(typ)}
}
