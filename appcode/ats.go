package appcode

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
)

// ATSPolicy is an iOS or macOS app's App Transport Security settings
// (NSAppTransportSecurity in Info.plist): the rules Apple's URL loading
// system enforces on every HTTPS connection the app makes, and the
// exceptions the app declares.
type ATSPolicy struct {
	// AllowsArbitraryLoads turns ATS off for every domain not listed in
	// Exceptions.
	AllowsArbitraryLoads bool
	Exceptions           []ATSException
	// Source is the Info.plist's NSAppTransportSecurity key, or the file
	// when the app declares none (ATS then applies in full).
	Source fileloc.Location
}

// ATSException is one NSExceptionDomains entry.
type ATSException struct {
	Domain             string
	IncludesSubdomains bool
	// MinimumTLS is NSExceptionMinimumTLSVersion ("TLSv1.0" …), "" when
	// not set (TLS 1.2).
	MinimumTLS string
	// ForwardSecrecyOptional is NSExceptionRequiresForwardSecrecy NO:
	// non-forward-secret suites and shorter keys are accepted.
	ForwardSecrecyOptional bool
	// AllowsInsecureHTTP is NSExceptionAllowsInsecureHTTPLoads: plain HTTP,
	// and HTTPS whose server trust the app evaluates itself.
	AllowsInsecureHTTP bool
	Source             fileloc.Location
}

// For returns the exception covering host (the exact domain, or a parent
// domain with NSIncludesSubdomains), or nil.
func (p *ATSPolicy) For(host string) *ATSException {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	var best *ATSException
	for i := range p.Exceptions {
		e := &p.Exceptions[i]
		d := strings.ToLower(strings.TrimSuffix(e.Domain, "."))
		switch {
		case d == host:
			return e
		case e.IncludesSubdomains && strings.HasSuffix(host, "."+d):
			if best == nil || len(d) > len(best.Domain) {
				best = e
			}
		}
	}
	return best
}

// ParseATS reads the ATS settings of an Info.plist (XML property list);
// nil when the file is not an XML plist. A plist without
// NSAppTransportSecurity gives the default policy: ATS in full.
func ParseATS(f *SourceFile) *ATSPolicy {
	root, err := parsePlist(f.Text)
	if err != nil || root.kind != "dict" {
		return nil
	}
	p := &ATSPolicy{Source: fileloc.Location{File: f.Path}}
	ats := root.get("NSAppTransportSecurity")
	if ats == nil || ats.kind != "dict" {
		return p
	}
	p.Source = f.Location(root.keyOffsets[slices.Index(root.keys, "NSAppTransportSecurity")])
	p.AllowsArbitraryLoads = ats.get("NSAllowsArbitraryLoads").isTrue()
	domains := ats.get("NSExceptionDomains")
	if domains == nil || domains.kind != "dict" {
		return p
	}
	for i, name := range domains.keys {
		d := domains.vals[i]
		if d.kind != "dict" {
			continue
		}
		e := ATSException{Domain: name, Source: f.Location(domains.keyOffsets[i])}
		e.IncludesSubdomains = d.get("NSIncludesSubdomains").isTrue()
		if v := d.get("NSExceptionMinimumTLSVersion"); v != nil && v.kind == "string" {
			e.MinimumTLS = strings.TrimSpace(v.text)
		}
		if v := d.get("NSExceptionRequiresForwardSecrecy"); v != nil && v.kind == "false" {
			e.ForwardSecrecyOptional = true
		}
		e.AllowsInsecureHTTP = d.get("NSExceptionAllowsInsecureHTTPLoads").isTrue()
		p.Exceptions = append(p.Exceptions, e)
	}
	return p
}

// plistValue is one value of an XML property list.
type plistValue struct {
	kind       string // dict, array, string, true, false, integer, …
	text       string
	keys       []string
	keyOffsets []int
	vals       []*plistValue
	offset     int // where its element starts in the file
}

func (v *plistValue) get(key string) *plistValue {
	if v == nil {
		return nil
	}
	for i, k := range v.keys {
		if k == key {
			return v.vals[i]
		}
	}
	return nil
}

func (v *plistValue) isTrue() bool { return v != nil && v.kind == "true" }

// maxPlistDepth bounds nesting: Info.plist files are a few levels deep.
const maxPlistDepth = 32

// parsePlist reads the top value of an XML plist. The decoder never
// fetches external entities or DTDs.
func parsePlist(text string) (*plistValue, error) {
	d := xml.NewDecoder(strings.NewReader(text))
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "plist" {
			continue
		} else if ok {
			return plistElement(d, se, int(d.InputOffset())-1, 0)
		}
	}
}

func plistElement(d *xml.Decoder, se xml.StartElement, offset, depth int) (*plistValue, error) {
	if depth > maxPlistDepth {
		return nil, errors.New("plist nested too deep")
	}
	v := &plistValue{kind: se.Name.Local, offset: max(offset, 0)}
	var text bytes.Buffer
	pendingKey, keyOffset := "", 0
	for {
		start := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			v.text = text.String()
			return v, nil
		case xml.StartElement:
			if t.Name.Local == "key" && v.kind == "dict" {
				k, err := plistElement(d, t, start, depth+1)
				if err != nil {
					return nil, err
				}
				pendingKey, keyOffset = strings.TrimSpace(k.text), start
				continue
			}
			child, err := plistElement(d, t, start, depth+1)
			if err != nil {
				return nil, err
			}
			if v.kind == "dict" {
				v.keys = append(v.keys, pendingKey)
				v.keyOffsets = append(v.keyOffsets, keyOffset)
			}
			v.vals = append(v.vals, child)
		}
	}
}
