package vuln

import (
	"context"
	"strconv"
	"time"
)

// heartbleedClaim is the payload length the probe's HeartbeatRequest
// claims while carrying none: enough to prove an over-read, far less than
// the 16 KiB testssl claims, so a vulnerable server discloses little.
const heartbleedClaim = 256

// heartbleed (CVE-2014-0160) runs only when the server negotiated the
// heartbeat extension. After the server's first flight it sends, before
// any key exchange, one HeartbeatRequest record `18 VV 00 03 01 01 00`:
// a request claiming 256 payload bytes and carrying none. RFC 6520 §4
// tells a server to discard it silently; a vulnerable OpenSSL (1.0.1 to
// 1.0.1f) answers with 256 bytes of its memory. The bytes are counted and
// discarded, never kept. One connection.
func (p *prober) heartbleed(ctx context.Context, in Input, negotiated bool) Outcome {
	v := in.legacyVersion()
	if v == 0 || !negotiated {
		return outcome(NotTested, "the server did not negotiate the heartbeat extension")
	}
	h := p.hello(v, in.Versions[v])
	h.Extra = heartbeatExtension
	c, f, err := p.openFlight(ctx, h)
	if err != nil {
		return outcome(Undecided, err.Error())
	}
	defer c.Close()
	if f.hello == nil || !f.hello.HasExtension(extHeartbeat) {
		return outcome(Undecided, "the heartbeat extension was not negotiated again")
	}
	req := []byte{1, heartbleedClaim >> 8, heartbleedClaim & 0xff}
	if _, err := c.Write(record(recordHeartbeat, f.hello.Version, req)); err != nil {
		return outcome(NotVulnerable, "the server closed the connection after the heartbeat request")
	}
	_ = c.SetReadDeadline(time.Now().Add(p.cfg.quietWait()))
	claimed, received := -1, 0
	for received < 3+heartbleedClaim {
		typ, payload, err := readRecord(c)
		if err != nil {
			break
		}
		if typ != recordHeartbeat {
			break // an alert or anything else: not an answer to the request
		}
		if claimed < 0 && len(payload) >= 3 {
			if payload[0] != 2 { // heartbeat_response
				break
			}
			claimed = int(payload[1])<<8 | int(payload[2])
		}
		received += len(payload)
		clear(payload) // server memory: never kept
	}
	if claimed <= 0 {
		return outcome(NotVulnerable, "no heartbeat response to a request claiming more than it carried")
	}
	leaked := min(claimed, max(received-3, 0))
	return outcome(Vulnerable, "the server answered a heartbeat request claiming "+strconv.Itoa(heartbleedClaim)+
		" bytes and carrying none with "+strconv.Itoa(leaked)+" bytes of its memory",
		"leaked_bytes", strconv.Itoa(leaked), "claimed_bytes", strconv.Itoa(heartbleedClaim), "sent_bytes", "0")
}
