package discover

import (
	"crypto/x509"
	"encoding/xml"
	"errors"
	"net/netip"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/hostname"
	"github.com/tlsaudit/tlsaudit/internal/inputfile"
)

// networkSecurityConfig reads an Android network security config: the
// domains it names (API hosts) and the pin-sets that apply to them. It
// uses a real XML tokenizer over the comment-blanked text, so offsets are
// exact and nesting (a domain-config inherits its parent's pin-set) is
// followed.
func networkSecurityConfig(src *appcode.SourceFile) (hosts []found, pins []*appcode.PinSet) {
	if !strings.Contains(src.Code, "<network-security-config") {
		return nil, nil
	}
	var stack []*nscConfig
	var inDomain, inPin bool
	var domainSub bool
	var pinOK bool
	dec := xml.NewDecoder(strings.NewReader(src.Code))
	dec.Strict = false
	for {
		offset := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			break // io.EOF, or a file too broken to read further: keep what was read
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "domain-config":
				stack = append(stack, &nscConfig{})
			case "domain":
				inDomain = true
				domainSub = attr(t, "includeSubdomains") == "true"
			case "pin-set":
				if len(stack) == 0 {
					continue
				}
				ps := &appcode.PinSet{Where: src.Location(offset), Kind: "Android network security config <pin-set>"}
				if exp := attr(t, "expiration"); exp != "" {
					if d, err := time.Parse("2006-01-02", exp); err == nil {
						ps.Expires = d.Add(24 * time.Hour) // enforced through the whole day named
					}
				}
				stack[len(stack)-1].pins = ps
				pins = append(pins, ps)
			case "pin":
				inPin = true
				pinOK = strings.EqualFold(attr(t, "digest"), "SHA-256")
			}
		case xml.CharData:
			text := strings.TrimSpace(string(t))
			switch {
			case inDomain && len(stack) > 0 && text != "":
				name := hostname.Fold(text)
				start := offset + strings.Index(string(t), text)
				if validHostName(name, true) || isIP(name) {
					hosts = append(hosts, found{scheme: "https", host: name, offset: start, form: "domain", file: src})
				}
				pattern := name
				if domainSub {
					pattern = "*." + name
				}
				stack[len(stack)-1].domains = append(stack[len(stack)-1].domains, pattern)
			case inPin && pinOK && len(stack) > 0 && text != "":
				if cur := nearestPins(stack); cur != nil {
					cur.SPKI = append(cur.SPKI, text)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "domain":
				inDomain = false
			case "pin":
				inPin = false
			case "domain-config":
				if len(stack) == 0 {
					continue
				}
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				// A nested config without its own pin-set inherits its
				// parent's, for its own domains too.
				owner := top.pins
				if owner == nil {
					owner = nearestPins(stack)
				}
				if owner != nil {
					owner.Hosts = append(owner.Hosts, top.domains...)
				}
			}
		}
	}
	return hosts, pins
}

// nscConfig is an open <domain-config>.
type nscConfig struct {
	domains []string
	pins    *appcode.PinSet
}

// nearestPins is the pin-set of the innermost open config that has one.
func nearestPins(stack []*nscConfig) *appcode.PinSet {
	for i := len(stack) - 1; i >= 0; i-- {
		if p := stack[i].pins; p != nil {
			return p
		}
	}
	return nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

func isIP(h string) bool {
	_, err := netip.ParseAddr(h)
	return err == nil
}

var (
	pinnerAdd = regexp.MustCompile(`\.add\s*\(`)
	stringArg = regexp.MustCompile(`^\s*(?:"([^"\n]*)"|([A-Za-z_][\w.]*))\s*(,|\))`)
)

// okHTTPPinner reads OkHttp CertificatePinner.Builder().add(pattern,
// "sha256/…", …) calls, in Kotlin or Java; pins may be string constants
// of the same file. Calls for the same pattern form one set, as OkHttp
// unions them.
func okHTTPPinner(src *appcode.SourceFile, consts map[string]constant) (hosts []found, pins []*appcode.PinSet) {
	if !strings.Contains(src.Skeleton, "CertificatePinner") {
		return nil, nil
	}
	byPattern := map[string]*appcode.PinSet{}
	for _, m := range pinnerAdd.FindAllStringIndex(src.Skeleton, -1) {
		var args []string
		var argAt []int
		i := m[1]
		for {
			am := stringArg.FindStringSubmatchIndex(src.Code[i:])
			if am == nil {
				break
			}
			value, at := "", i+am[2]
			if am[2] >= 0 {
				value = src.Code[i+am[2] : i+am[3]]
			} else {
				name := src.Code[i+am[4] : i+am[5]]
				if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
					name = name[dot+1:]
				}
				value, at = consts[name].value, i+am[4] // "" when unknown: not a pin

			}
			args, argAt = append(args, value), append(argAt, at)
			i += am[1]
			if src.Code[i-1] == ')' {
				break
			}
		}
		if len(args) < 2 || !strings.Contains(args[0], ".") {
			continue
		}
		pattern := strings.ToLower(args[0])
		var keys []string
		for _, a := range args[1:] {
			if k, ok := certinfo.NormalizePin(a); ok && strings.HasPrefix(strings.ToLower(a), "sha256/") {
				keys = append(keys, k)
			}
		}
		ps := byPattern[pattern]
		if ps == nil {
			ps = &appcode.PinSet{Where: src.Location(m[0] + 1), Kind: "OkHttp CertificatePinner", Hosts: []string{okHTTPPattern(pattern)}}
			byPattern[pattern] = ps
			pins = append(pins, ps)
			if validHostName(pattern, true) {
				hosts = append(hosts, found{scheme: "https", host: pattern, offset: argAt[0], form: "pinner", file: src})
			}
		}
		ps.SPKI = append(ps.SPKI, keys...)
	}
	return hosts, pins
}

// okHTTPPattern turns OkHttp's host patterns into PinSet.Hosts form:
// "**.d" (any depth) is "*.d"; "*.d" (one label) is "+.d".
func okHTTPPattern(p string) string {
	if rest, ok := strings.CutPrefix(p, "**."); ok {
		return "*." + rest
	}
	if rest, ok := strings.CutPrefix(p, "*."); ok {
		return "+." + rest
	}
	return p
}

var (
	dartTrusted    = regexp.MustCompile(`\.\.?\s*setTrustedCertificates(?:Bytes)?\s*\(`)
	dartWithRoots  = regexp.MustCompile(`withTrustedRoots\s*:\s*true|SecurityContext\s*\.\s*defaultContext`)
	certAssetPath  = regexp.MustCompile(`['"]([\w./\-]+\.(?:pem|crt|cer|der))['"]`)
	pemCertificate = regexp.MustCompile(`-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s\\n]+-----END CERTIFICATE-----`)
)

// dartSecurityContext reads a Dart SecurityContext that trusts only the
// certificates it is given (SecurityContext() without withTrustedRoots):
// that is pinning. The certificates come from asset files the code names
// (resolved in the tree, never outside it) or PEM text in the code; the
// pins apply to the hosts the same file names (Hosts nil).
func dartSecurityContext(src *appcode.SourceFile, tree *inputfile.Tree, root string) []*appcode.PinSet {
	if !strings.Contains(src.Skeleton, "setTrustedCertificates") {
		return nil
	}
	m := dartTrusted.FindStringIndex(src.Skeleton)
	if m == nil || dartWithRoots.MatchString(src.Code) {
		return nil
	}
	ps := &appcode.PinSet{Where: src.Location(strings.Index(src.Skeleton[m[0]:], "set") + m[0]), Kind: "Dart SecurityContext trusted certificates"}
	var names, outside []string
	for _, am := range certAssetPath.FindAllStringSubmatch(src.Code, -1) {
		certs, out := loadAsset(tree, root, src.Path, am[1])
		if out {
			outside = append(outside, am[1])
		} else {
			names = append(names, am[1])
		}
		ps.Certs = append(ps.Certs, certs...)
	}
	for _, block := range pemCertificate.FindAllString(src.Code, -1) {
		ps.Certs = append(ps.Certs, parseCerts([]byte(strings.ReplaceAll(block, `\n`, "\n")))...)
	}
	if len(ps.Certs) == 0 {
		var why []string
		if len(names) > 0 {
			why = append(why, "could not read "+strings.Join(names, ", ")+" in the source tree")
		}
		if len(outside) > 0 {
			why = append(why, strings.Join(outside, ", ")+" would be outside the source tree (not read)")
		}
		ps.Unresolved = "the certificates are loaded at run time"
		if len(why) > 0 {
			ps.Unresolved = strings.Join(why, "; ")
		}
	}
	return []*appcode.PinSet{ps}
}

// loadAsset reads a certificate file an app names by an asset path: Flutter
// asset paths are relative to the package root, which is the tree's root
// or a folder above the referring file. outside reports a path that leads
// out of the tree from every such folder: it is not read.
func loadAsset(tree *inputfile.Tree, root, referrer, asset string) (certs []*x509.Certificate, outside bool) {
	rel, err := filepath.Rel(root, filepath.FromSlash(referrer))
	if err != nil {
		rel = ""
	}
	dir := path.Dir(filepath.ToSlash(rel))
	outside = true
	for {
		data, err := tree.ReadFile(path.Join(dir, asset), inputfile.CertCap)
		if err == nil {
			return parseCerts(data), false
		}
		outside = outside && errors.Is(err, inputfile.ErrOutside)
		if dir == "." || dir == "/" || dir == "" {
			return nil, outside
		}
		dir = path.Dir(dir)
	}
}

// parseCerts reads the certificates an app ships, keeping those that
// parse when others do not.
func parseCerts(data []byte) []*x509.Certificate {
	certs, _ := certinfo.ParseCertificates(data)
	return certs
}
