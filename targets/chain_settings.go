package targets

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/inputfile"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// The settings of what a chain must hold and how it is fetched: pins, a client certificate, online
// revocation checks and zlint sources.

// PinPrefix starts every pin: the hash algorithm, as OkHttp and HPKP
// write it.
const PinPrefix = "sha256/"

// ParsePin checks a pin written as "sha256/BASE64" (the SHA-256 of a
// SubjectPublicKeyInfo) and returns its base64 part.
func ParsePin(s string) (string, error) {
	b64, ok := strings.CutPrefix(strings.TrimSpace(s), PinPrefix)
	if !ok {
		return "", fmt.Errorf("%s: a pin is %sBASE64, the SHA-256 of a public key (tlsaudit pin HOST prints them)", quote(s), PinPrefix)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", fmt.Errorf("%s: not standard base64: %v", quote(s), err)
	}
	if len(raw) != sha256.Size {
		return "", fmt.Errorf("%s: holds %d %s, a SHA-256 hash has %d", quote(s), len(raw), words.Plural(len(raw), "byte", "bytes"), sha256.Size)
	}
	return b64, nil
}

// LoadClientCert reads a client certificate (PEM, with any intermediates
// after it) and its PEM private key, each a file of at most
// inputfile.CertCap bytes.
func LoadClientCert(certPath, keyPath string) (*tls.Certificate, error) {
	fail := func(err error) error {
		return fmt.Errorf("cannot load client certificate %s with key %s: %v", textsafe.Path(certPath), textsafe.Path(keyPath), err)
	}
	certPEM, err := inputfile.ReadFile(certPath, inputfile.CertCap)
	if err != nil {
		return nil, fail(err)
	}
	keyPEM, err := inputfile.ReadFile(keyPath, inputfile.CertCap)
	if err != nil {
		return nil, fail(err)
	}
	c, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fail(err)
	}
	return &c, nil
}

// knownRuleSources maps each rule source of the checks, lowercased, to its
// spelling.
func knownRuleSources(checks []*scanner.Check) map[string]string {
	known := map[string]string{}
	for _, c := range checks {
		if c.Rules == nil {
			continue
		}
		for _, r := range c.Rules() {
			known[strings.ToLower(r.Source)] = r.Source
		}
	}
	return known
}

func zlintSources(known map[string]string, names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		canon, ok := known[strings.ToLower(strings.TrimSpace(n))]
		if strings.EqualFold(strings.TrimSpace(n), "all") {
			canon, ok = "all", true
		}
		if !ok && len(known) == 0 {
			// No check lists zlint rules: a build without zlint.
			return nil, fmt.Errorf("zlint source %s: this build of tlsaudit (%s/%s) has no zlint; use a linux or darwin build, or leave zlint out", quote(n), runtime.GOOS, runtime.GOARCH)
		}
		if !ok {
			list := make([]string, 0, len(known))
			for _, v := range known {
				list = append(list, v)
			}
			slices.Sort(list)
			return nil, fmt.Errorf("unknown zlint source %s (known: all, %s)", quote(n), strings.Join(list, ", "))
		}
		out = append(out, canon)
	}
	return out, nil
}

// itemPos is the position of item i of the list field name, or of the
// field when the item's node is not known.
func (ly layer) itemPos(name string, i int) fileloc.Location {
	pos := ly.pos[name]
	if n := ly.nodes[name]; n != nil {
		n = resolve(n)
		if n.Kind == yaml.SequenceNode && i < len(n.Content) {
			pos.Line, pos.Column = n.Content[i].Line, n.Content[i].Column
		}
	}
	return pos
}

func (l *loader) validateChainSettings(ly layer) {
	s := ly.s
	for i, p := range s.Pins {
		if _, err := ParsePin(p); err != nil {
			l.errs.add(ly.itemPos("pins", i), "pins", "%v", err)
		}
	}
	switch {
	case s.ClientCert != nil && s.ClientKey == nil:
		l.errs.add(ly.pos["client_cert"], "client_cert", "given without client_key; give both, in the same place")
	case s.ClientKey != nil && s.ClientCert == nil:
		l.errs.add(ly.pos["client_key"], "client_key", "given without client_cert; give both, in the same place")
	case s.ClientCert != nil:
		l.clientCert(ly, *s.ClientCert, *s.ClientKey)
	}
	if len(s.Zlint) == 0 {
		return
	}
	if _, err := zlintSources(l.ruleSources(), s.Zlint); err != nil {
		l.errs.add(ly.pos["zlint"], "zlint", "%v", err)
	}
}

// clientCert loads a key pair (once per run: opts.Files); a failure is
// reported where client_cert was written, once per loader.
func (l *loader) clientCert(ly layer, certPath, keyPath string) *tls.Certificate {
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(ly.dir, p)
	}
	k := [2]string{abs(certPath), abs(keyPath)}
	if c, ok := l.keys[k]; ok {
		return c
	}
	c, err := l.opts.Files.keyPair(k[0], k[1])
	if err != nil {
		l.errs.add(ly.pos["client_cert"], "client_cert", "%v", err)
	}
	l.keys[k] = c
	return c
}

func (l *loader) buildChainSettings(t *scanner.Target, eff *Settings, where map[string]layer) {
	for _, p := range eff.Pins {
		if b64, err := ParsePin(p); err == nil {
			t.Pins = append(t.Pins, b64)
		}
	}
	if eff.ClientCert != nil && eff.ClientKey != nil {
		t.ClientCert = l.clientCert(where["client_cert"], *eff.ClientCert, *eff.ClientKey)
	}
	if eff.OnlineRevocation != nil {
		t.OnlineRevocation = *eff.OnlineRevocation
	}
	if len(eff.Zlint) > 0 {
		t.Zlint, _ = zlintSources(l.ruleSources(), eff.Zlint)
	}
}

// ruleSources lists the checks' rule sources once per load: building
// zlint's rules for every target of a large file would add up.
func (l *loader) ruleSources() map[string]string {
	if l.sources == nil {
		l.sources = knownRuleSources(l.opts.Checks)
	}
	return l.sources
}
