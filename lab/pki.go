package lab

import (
	"cmp"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/netip"
	"time"
)

// A Cert is a certificate the lab made, with its key.
type Cert struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// PEM encodes the certificate.
func (c *Cert) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Cert.Raw})
}

// Chain builds a tls.Certificate serving c followed by the given
// certificates, in that order (so a test can serve them out of order, or
// omit one).
func (c *Cert) Chain(rest ...*Cert) tls.Certificate {
	tc := tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key, Leaf: c.Cert}
	for _, r := range rest {
		tc.Certificate = append(tc.Certificate, r.Cert.Raw)
	}
	return tc
}

// PKI is the lab's throwaway certificate authorities. Everything is
// generated at start-up relative to the lab clock, so nothing committed can
// expire.
type PKI struct {
	Now time.Time
	// Root is the lab's trusted root; Inter is the intermediate under it
	// that issues the lab's leaves.
	Root, Inter *Cert
	// OtherRoot and OtherInter are a second hierarchy nobody trusts.
	OtherRoot, OtherInter *Cert
	// Client is a client certificate from Inter, for mutual-TLS endpoints.
	Client *Cert
}

// NewPKI makes the lab's CAs.
func NewPKI(now time.Time) (*PKI, error) {
	p := &PKI{Now: now}
	var err error
	mk := func(name string, issuer *Cert) *Cert {
		if err != nil {
			return nil
		}
		var c *Cert
		c, err = p.Issue(CertSpec{CN: name, CA: true, Issuer: issuer,
			From: -5 * 365 * 24 * time.Hour, Until: 10 * 365 * 24 * time.Hour})
		return c
	}
	p.Root = mk("tlsaudit lab root CA", nil)
	p.Inter = mk("tlsaudit lab intermediate CA", p.Root)
	p.OtherRoot = mk("Untrusted Example root CA", nil)
	p.OtherInter = mk("Untrusted Example intermediate CA", p.OtherRoot)
	if err != nil {
		return nil, err
	}
	if p.Client, err = p.Issue(CertSpec{CN: "tlsaudit lab client", Issuer: p.Inter, Tweak: func(t *x509.Certificate) {
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}}); err != nil {
		return nil, err
	}
	return p, nil
}

// RootPool is a pool holding only the lab root: what a target's `ca`
// setting gives it.
func (p *PKI) RootPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.Root.Cert)
	return pool
}

// CertSpec describes a certificate to issue. Zero fields get sensible lab
// defaults: a P-256 key, valid from an hour ago for 90 days, issued by the
// lab intermediate, with an AIA caIssuers URL as public CAs add.
type CertSpec struct {
	CN string
	// Names become subjectAltNames: IP literals as IP SANs, the rest as
	// DNS names. Leave empty for a CN-only certificate.
	Names     []string
	NotBefore time.Time
	NotAfter  time.Time
	// From and Until, used when NotBefore and NotAfter are zero, give the
	// validity as offsets from the lab clock.
	From, Until time.Duration
	CA          bool
	// Issuer signs the certificate; nil makes it self-signed.
	Issuer *Cert
	// Key is the subject key; nil generates a P-256 key.
	Key crypto.Signer
	// Tweak, if set, edits the template just before signing, for anything
	// the fields above do not cover (signature algorithm, extensions).
	Tweak func(*x509.Certificate)
}

// Issue makes a certificate.
func (p *PKI) Issue(s CertSpec) (*Cert, error) {
	key := s.Key
	if key == nil {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		key = k
	}
	nb, na := s.NotBefore, s.NotAfter
	if nb.IsZero() {
		nb = p.Now.Add(cmp.Or(s.From, -time.Hour))
	}
	if na.IsZero() {
		na = p.Now.Add(cmp.Or(s.Until, 90*24*time.Hour))
	}
	sn, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	tpl := &x509.Certificate{
		SerialNumber: sn,
		Subject:      pkix.Name{CommonName: s.CN, Organization: []string{"tlsaudit lab"}},
		NotBefore:    nb,
		NotAfter:     na,
	}
	for _, n := range s.Names {
		if ip, err := netip.ParseAddr(n); err == nil {
			tpl.IPAddresses = append(tpl.IPAddresses, ip.AsSlice())
		} else {
			tpl.DNSNames = append(tpl.DNSNames, n)
		}
	}
	if s.CA {
		tpl.IsCA, tpl.BasicConstraintsValid = true, true
		tpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
	} else {
		tpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
		tpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}
	parent, signer := tpl, key
	if s.Issuer != nil {
		parent, signer = s.Issuer.Cert, s.Issuer.Key
		tpl.IssuingCertificateURL = []string{"http://pki.tlsaudit.test/" + slug(s.Issuer.Cert.Subject.CommonName) + ".crt"}
	}
	if s.Tweak != nil {
		s.Tweak(tpl)
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, parent, key.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("issue %q: %w", s.CN, err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Cert{Cert: c, Key: key}, nil
}

func slug(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			b[i] = '-'
		}
	}
	return string(b)
}
