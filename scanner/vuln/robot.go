package vuln

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
)

// robotPayloads are the five premaster-secret encodings of the published
// ROBOT method (Böck, Somorovsky, Young 2017), by name: one valid, three
// with broken PKCS#1 v1.5 padding, one with a wrong version.
var robotPayloads = []string{"valid", "wrong-first-two-bytes", "wrong-position-00", "no-00-in-the-middle", "wrong-version"}

// robotPlaintexts builds the five padded plaintexts for a k-byte modulus:
// `00 02 pad 00 VV PMS` and its four variants (pad is abcd..., PMS a fixed
// 46-byte pattern, neither with a zero byte).
func robotPlaintexts(k int, version uint16) [][]byte {
	pad := make([]byte, k-51)
	for i := range pad {
		pad[i] = "\xab\xcd"[i%2]
	}
	pms := make([]byte, 46)
	for i := range pms {
		pms[i] = byte(0x11 * (i%15 + 1))
	}
	vv := []byte{byte(version >> 8), byte(version)}
	cat := func(parts ...[]byte) []byte { return slices.Concat(parts...) }
	return [][]byte{
		cat([]byte{0, 2}, pad, []byte{0}, vv, pms),
		cat([]byte{0x41, 0x17}, pad, []byte{0}, vv, pms),
		cat([]byte{0, 2}, pad, []byte{0x11}, pms, []byte{0, 0x11}),
		cat([]byte{0, 2}, pad, []byte{0x11, 0x11, 0x11}, pms),
		cat([]byte{0, 2}, pad, []byte{0, 2, 2}, pms),
	}
}

// rawEncrypt is textbook RSA (m^e mod n), as the method needs: the
// padding is the probe's own.
func rawEncrypt(pub *rsa.PublicKey, m []byte) []byte {
	k := (pub.N.BitLen() + 7) / 8
	c := new(big.Int).Exp(new(big.Int).SetBytes(m), big.NewInt(int64(pub.E)), pub.N)
	return c.FillBytes(make([]byte, k))
}

// robotFinished stands in for the client's encrypted Finished: fixed
// bytes that can never match the transcript, as in the published method.
var robotFinished = func() []byte {
	b := make([]byte, 40)
	for i := range b {
		b[i] = byte(0x5a ^ i)
	}
	return b
}()

// robot runs only when the server accepted an RSA key-transport suite. It
// opens five connections, each a hello offering those suites, then one
// ClientKeyExchange with one of the five ciphertexts, a ChangeCipherSpec
// and a bogus Finished, and compares the server's answers (alert, close,
// reset, silence). Identical answers: no oracle. Different answers are
// confirmed by a second round of five before they count (ten connections);
// answers that change between rounds leave the check undecided.
func (p *prober) robot(ctx context.Context, in Input) Outcome {
	v, suites := robotOffer(in)
	if v == 0 {
		return outcome(NotTested, "no RSA key-exchange suite accepted")
	}
	var pub *rsa.PublicKey
	var cts [][]byte
	round := func() ([]string, *Outcome) {
		answers := make([]string, len(robotPayloads))
		for i := range robotPayloads {
			c, f, err := p.openFlight(ctx, p.hello(v, suites))
			if err != nil {
				o := outcome(Undecided, err.Error())
				return nil, &o
			}
			if f.hello == nil || tlsinfo.Suite(f.hello.Suite).Kex != "RSA" {
				c.Close()
				o := outcome(Undecided, "the server did not choose an RSA key-exchange suite again")
				return nil, &o
			}
			if pub == nil {
				cert, err := x509.ParseCertificate(f.leaf)
				key, ok := any(nil), false
				if err == nil {
					key = cert.PublicKey
				}
				if pub, ok = key.(*rsa.PublicKey); !ok || pub.N.BitLen() < 512 {
					c.Close()
					o := outcome(Undecided, "no RSA certificate with the RSA key-exchange suite")
					return nil, &o
				}
				for _, m := range robotPlaintexts((pub.N.BitLen()+7)/8, v) {
					cts = append(cts, rawEncrypt(pub, m))
				}
			}
			answers[i] = p.robotSend(c, f.hello.Version, cts[i])
			c.Close()
		}
		return answers, nil
	}
	first, o := round()
	if o != nil {
		return *o
	}
	if allEqual(first) {
		return outcome(NotVulnerable, "the same answer to every ClientKeyExchange ("+first[0]+")")
	}
	second, o := round()
	if o != nil {
		return *o
	}
	if !slices.Equal(first, second) {
		return outcome(Undecided, "the answers changed between two identical rounds: "+
			strings.Join(first, ", ")+" then "+strings.Join(second, ", "))
	}
	oracle := "strong"
	if first[1] == first[2] && first[2] == first[3] {
		oracle = "weak" // only correctly padded messages are told apart
	}
	ev := []string{"oracle", oracle, "version", tlsinfo.VersionName(v)}
	for i, name := range robotPayloads {
		ev = append(ev, "answer_"+name, first[i])
	}
	return outcome(Vulnerable, "the server answers malformed RSA premaster secrets differently ("+oracle+" oracle): "+
		strings.Join(first, ", "), ev...)
}

// robotOffer picks the version (TLS 1.2 when accepted, else the newest of
// TLS 1.0-1.1) and its accepted RSA key-transport suites.
func robotOffer(in Input) (uint16, []uint16) {
	for _, v := range in.accepted() {
		if v < tlsinfo.VersionTLS10 || v > tlsinfo.VersionTLS12 {
			continue
		}
		var rsaSuites []uint16
		for _, id := range in.Versions[v] {
			if tlsinfo.Suite(id).Kex == "RSA" {
				rsaSuites = append(rsaSuites, id)
			}
		}
		if len(rsaSuites) > 0 {
			return v, rsaSuites
		}
	}
	return 0, nil
}

// robotSend sends ClientKeyExchange, ChangeCipherSpec and a bogus Finished
// and reduces the server's answer to a comparable string.
func (p *prober) robotSend(c interface {
	Write([]byte) (int, error)
	Read([]byte) (int, error)
	SetReadDeadline(t time.Time) error
}, v uint16, ct []byte) string {
	cke := []byte{16, 0, byte((len(ct) + 2) >> 8), byte(len(ct) + 2), byte(len(ct) >> 8), byte(len(ct))}
	cke = append(cke, ct...)
	msg := slices.Concat(record(recordHandshake, v, cke), record(recordCCS, v, []byte{1}), record(recordHandshake, v, robotFinished))
	if _, err := c.Write(msg); err != nil {
		return "connection closed"
	}
	return p.nextAnswer(c).String()
}

func allEqual(s []string) bool {
	for _, x := range s[1:] {
		if x != s[0] {
			return false
		}
	}
	return true
}
