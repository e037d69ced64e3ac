package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// EnumerationJSON is the protocol and cipher-suite matrix: every version
// probed, and for each accepted one its suites (in the server's order of
// preference when it has one) and key-exchange groups.
type EnumerationJSON struct {
	// Profile is the Mozilla profile the findings were graded against.
	Profile     string         `json:"profile"`
	Connections int            `json:"connections"`
	DurationMS  int64          `json:"duration_ms"`
	Protocols   []ProtocolJSON `json:"protocols"`
}

// ProtocolJSON is one protocol version.
type ProtocolJSON struct {
	Version  string `json:"version"`
	Accepted bool   `json:"accepted"`
	// SuitePreference is "server" when Suites is the server's order,
	// "client" when the server follows the client's order.
	SuitePreference string      `json:"suite_preference,omitempty"`
	Suites          []SuiteJSON `json:"suites,omitempty"`
	Groups          []string    `json:"groups,omitempty"`
	GroupPreference string      `json:"group_preference,omitempty"`
	// Error says why the lists may be incomplete.
	Error string `json:"error,omitempty"`
}

// SuiteJSON is one accepted cipher suite with what its probe revealed.
type SuiteJSON struct {
	Name           string `json:"name"`
	ID             string `json:"id"`
	KeyExchange    string `json:"key_exchange"`
	Authentication string `json:"authentication"`
	Cipher         string `json:"cipher"`
	AEAD           bool   `json:"aead"`
	ForwardSecrecy bool   `json:"forward_secrecy"`
	// DHBits is the DH prime size of a finite-field DHE suite.
	DHBits int `json:"dh_bits,omitempty"`
	// Group is the ECDHE curve, or the TLS 1.3 key-share group.
	Group string `json:"group,omitempty"`
	// Weaknesses are tlsinfo.SuiteInfo.Weaknesses labels.
	Weaknesses []string `json:"weaknesses,omitempty"`
}

func enumerationJSON(r *scanner.Result) *EnumerationJSON {
	e := r.Enum
	if e == nil {
		return nil
	}
	out := &EnumerationJSON{
		Profile:     r.Target.EffectiveProfile(),
		Connections: e.Connections,
		DurationMS:  e.Duration.Milliseconds(),
		Protocols:   []ProtocolJSON{},
	}
	for _, v := range e.Versions {
		p := ProtocolJSON{
			Version:         versionName(v.Version),
			Accepted:        v.Accepted,
			SuitePreference: string(v.SuitePreference),
			GroupPreference: string(v.GroupPreference),
			Error:           v.Error,
		}
		for _, s := range v.Suites {
			info := s.Info()
			sj := SuiteJSON{
				Name:           info.Name,
				ID:             fmt.Sprintf("0x%04X", s.ID),
				KeyExchange:    info.Kex,
				Authentication: info.Auth,
				Cipher:         info.Cipher,
				AEAD:           info.AEAD(),
				ForwardSecrecy: info.ForwardSecret(),
				DHBits:         s.DHBits,
				Weaknesses:     info.Weaknesses(),
			}
			if s.Group != 0 {
				sj.Group = tlsinfo.GroupName(s.Group)
			}
			p.Suites = append(p.Suites, sj)
		}
		for _, g := range v.Groups {
			p.Groups = append(p.Groups, tlsinfo.GroupName(g))
		}
		out.Protocols = append(out.Protocols, p)
	}
	return out
}

// protocolLine is the table's one-line view of an enumeration: the
// versions accepted and how many distinct accepted suites have each
// weakness, e.g. "TLS 1.0, TLS 1.2; weak suites: 1 RC4, 2 no-FS". It reads
// the wire form, so that `tlsaudit merge` renders the same line.
func protocolLine(e *EnumerationJSON) string {
	var versions []string
	for _, p := range e.Protocols {
		if p.Accepted {
			versions = append(versions, p.Version)
		}
	}
	if len(versions) == 0 {
		versions = []string{"no version accepted"}
	}
	labels := []struct{ key, show string }{
		{"null", "NULL"}, {"anonymous", "anonymous"}, {"export", "EXPORT"}, {"rc4", "RC4"},
		{"des", "DES"}, {"3des", "3DES"}, {"no-forward-secrecy", "no-FS"},
	}
	count := map[string]int{}
	aead := false
	var ids []string
	for _, p := range e.Protocols {
		for _, s := range p.Suites {
			if slices.Contains(ids, s.ID) {
				continue
			}
			ids = append(ids, s.ID)
			aead = aead || s.AEAD
			for _, w := range s.Weaknesses {
				count[w]++
			}
		}
	}
	var weak []string
	for _, l := range labels {
		if n := count[l.key]; n > 0 {
			weak = append(weak, fmt.Sprintf("%d %s", n, l.show))
		}
	}
	if len(ids) > 0 && !aead {
		weak = append(weak, "no AEAD")
	}
	summary := "none"
	if len(weak) > 0 {
		summary = strings.Join(weak, ", ")
	}
	return fmt.Sprintf("%s; weak suites: %s", strings.Join(versions, ", "), summary)
}
