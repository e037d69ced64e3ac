package httpprobe

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
)

// A target's http_headers often hold credentials (an API key, an
// Authorization token). The HTTP probes guard them twice: they go only
// over a connection a client of the target would trust (judgePeer), and
// whatever the server sends back is scrubbed of them before it leaves the
// probe (redactor), so no report format can show them.

// peerVerdict is how a client of the target judges one HTTPS connection.
type peerVerdict struct {
	// certErr is why the chain does not verify for the target's server
	// name against its roots; nil when it does.
	certErr error
	// withhold is why the target's configured headers may not be sent
	// over the connection; "" when they may.
	withhold string
}

// judgePeer decides whether a connection may carry the target's secrets:
// only when a client with default settings and the target's own trust
// settings would have completed it, as curl without -k does. That is: the
// chain verifies against the target's roots (its ca, else the system
// store) for its server name, now; the connection needed neither the
// legacy client nor a protocol older than TLS 1.2, which current clients
// refuse; and, when the target lists pins, a verified chain holds one of
// the pinned keys, as a pinning client requires. Pins are matched against
// verified chains only: the served chain can hold any public certificate,
// so a pinned key there proves nothing.
func judgePeer(peer *handshake.Peer, cfg *Config, now time.Time) peerVerdict {
	chains, err := verifyPeer(peer.Chain, cfg, now)
	v := peerVerdict{certErr: err}
	switch {
	case err != nil:
		v.withhold = "the certificate did not verify: " + err.Error()
	case peer.Legacy:
		v.withhold = "only the legacy client could complete the handshake (" + tlsinfo.VersionName(peer.Version) + "), with a protocol or cipher suite current clients refuse"
	case peer.Version < tlsinfo.VersionTLS12:
		v.withhold = "the connection used " + tlsinfo.VersionName(peer.Version) + ", which current clients refuse"
	case len(cfg.Pins) > 0 && !pinned(chains, cfg.Pins):
		v.withhold = "no key of the verified chain matches the target's pins"
	}
	return v
}

// verifyPeer verifies chain as a client of the target would: against its
// roots, for its server name, now. It returns the verified chains (leaf to
// root). Browsers ignore HSTS received over a connection with certificate
// errors (RFC 6797 §8.1), so the verdict is part of the HSTS observation.
func verifyPeer(chain []*x509.Certificate, cfg *Config, now time.Time) ([][]*x509.Certificate, error) {
	if len(chain) == 0 {
		return nil, errors.New("the server sent no certificate that parses")
	}
	return handshake.VerifyPath(chain, cfg.Roots, cfg.ServerName, now)
}

// pinned reports whether one of the verified chains holds a pinned key.
func pinned(chains [][]*x509.Certificate, pins []string) bool {
	for _, c := range chains {
		if certinfo.ChainMatchesPins(c, pins, nil) {
			return true
		}
	}
	return false
}

// secretHeaders are the headers that may be secrets: every configured
// header but Host, which names the host the request is for (it is in the
// URL of every request, plain ones too) and is never withheld or redacted.
func secretHeaders(headers map[string]string) map[string]string {
	var out map[string]string
	for k, v := range headers {
		if http.CanonicalHeaderKey(k) == "Host" {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = v
	}
	return out
}

// Redaction.
const (
	// RedactedMarker replaces a configured header value in anything the
	// HTTP probes keep from a server.
	RedactedMarker = "[redacted]"
	// MinRedacted is the shortest value (or form of a value) redacted.
	// Shorter ones ("1", "en", "yes") match ordinary words in status
	// lines and bodies, so scrubbing them would garble the evidence while
	// protecting nothing a guess would not find.
	MinRedacted = 4
)

// A redactor scrubs configured header values from server bytes. The zero
// value (no secrets) changes nothing.
type redactor struct {
	// needles are the forms of every secret, ASCII-lowercased, longest
	// first so that a secret holding another is replaced whole.
	needles []string
}

// newRedactor builds the redactor of the configured headers. Each value is matched as it is and in
// the forms a server is likely to echo it in: without the auth scheme of
// an Authorization-style value ("Bearer TOKEN" echoed as "TOKEN"), with
// Basic credentials decoded ("user:password", and the password), base64
// encoded, and URL escaped (in a Location). Matching ignores ASCII case,
// since some servers upper- or lower-case what they echo.
func newRedactor(headers map[string]string) *redactor {
	r := &redactor{}
	add := func(s string) {
		s = asciiLower(strings.TrimSpace(s))
		if len(s) >= MinRedacted && !slices.Contains(r.needles, s) {
			r.needles = append(r.needles, s)
		}
	}
	for _, v := range secretHeaders(headers) {
		var forms []string
		forms = append(forms, v)
		if scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " "); ok {
			cred = strings.TrimSpace(cred)
			forms = append(forms, cred)
			if strings.EqualFold(scheme, "Basic") {
				if dec, err := base64.StdEncoding.DecodeString(cred); err == nil {
					forms = append(forms, string(dec))
					if _, pass, ok := strings.Cut(string(dec), ":"); ok {
						forms = append(forms, pass)
					}
				}
			}
		}
		for _, f := range slices.Clone(forms) {
			forms = append(forms,
				base64.StdEncoding.EncodeToString([]byte(f)),
				base64.RawURLEncoding.EncodeToString([]byte(f)),
				url.QueryEscape(f), url.PathEscape(f))
		}
		for _, f := range forms {
			add(f)
		}
	}
	// Longest first: a value that holds another (a token and "Bearer
	// token") is replaced whole, not around its inner match.
	slices.SortStableFunc(r.needles, func(a, b string) int { return len(b) - len(a) })
	return r
}

// string returns s with every secret replaced by RedactedMarker. It scans
// once, left to right, so a marker is never itself matched again.
func (r *redactor) string(s string) string {
	if len(r.needles) == 0 || len(s) < MinRedacted {
		return s
	}
	lower := asciiLower(s)
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		n := r.matchAt(lower, i)
		if n == 0 {
			i++
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(RedactedMarker)
		i += n
		last = i
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// matchAt is the length of the longest secret at lower[i:], or 0.
func (r *redactor) matchAt(lower string, i int) int {
	for _, n := range r.needles {
		if lower[i] == n[0] && strings.HasPrefix(lower[i:], n) {
			return len(n)
		}
	}
	return 0
}

// exchange scrubs everything ex holds from the server: the status line,
// every header (names too), the body prefix and the error message. It
// runs before the Location is resolved, so a secret a server puts in a
// redirect is never requested again, over plain HTTP least of all.
func (r *redactor) exchange(ex *Exchange) {
	if len(r.needles) == 0 {
		return
	}
	ex.StatusLine = r.string(ex.StatusLine)
	ex.Err = r.string(ex.Err)
	if len(ex.BodyPrefix) > 0 {
		if s := r.string(string(ex.BodyPrefix)); s != string(ex.BodyPrefix) {
			ex.BodyPrefix = []byte(s)
		}
	}
	if ex.Header != nil {
		h := make(http.Header, len(ex.Header))
		for k, vs := range ex.Header {
			k = r.string(k)
			for _, v := range vs {
				h[k] = append(h[k], r.string(v))
			}
		}
		ex.Header = h
	}
}

// asciiLower lowercases ASCII letters only, so that byte offsets in the
// result are offsets in s.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
