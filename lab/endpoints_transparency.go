package lab

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// transparencyEndpoints fire and silence ct-missing. The lab's CA is
// private, and CT applies to public CAs only, so these targets mark the
// lab root as standing for a public one (Target.PublicRoots) and are
// reached by name, as a public host is: the targets file lists them as
// comments, since a plain `ca` is a private CA there. Every other lab
// endpoint, scanned with the lab root as its `ca`, shows the check silent
// for private CAs.
func transparencyEndpoints() []*Endpoint {
	public := func(_ *Env, t *scanner.Target) { t.Host, t.PublicRoots = t.ServerName, true }
	// The SCT list is opaque to the check, which asks only whether one
	// reached the client (it does not verify log signatures): one SCT of
	// version 0 with a zero log id stands in for a real log's.
	sct := make([]byte, 1+32+8+2+4)
	withSCTs := func(mk chainFunc) chainFunc {
		return func(env *Env, name string) (tls.Certificate, error) {
			c, err := mk(env, name)
			c.SignedCertificateTimestamps = [][]byte{sct}
			return c, err
		}
	}
	embedded, _ := asn1.Marshal(append([]byte{0, byte(len(sct) + 2), 0, byte(len(sct))}, sct...))
	eps := []*Endpoint{
		{
			Name:   "ct-missing",
			Doc:    "leaf from a CA standing for a public one, with no SCT embedded, in the TLS extension or stapled",
			Want:   []string{"ct-missing"},
			Start:  serveChain("ct-missing", leaf(CertSpec{})),
			Target: public,
		},
		{
			Name:   "ct-tls-extension",
			Doc:    "leaf from a CA standing for a public one; its SCT comes in the TLS signed_certificate_timestamp extension",
			Start:  serveChain("ct-tls-extension", withSCTs(leaf(CertSpec{}))),
			Target: public,
		},
		{
			Name: "ct-embedded",
			Doc:  "leaf from a CA standing for a public one, with an SCT list embedded in the certificate",
			Start: serveChain("ct-embedded", leaf(CertSpec{Tweak: func(t *x509.Certificate) {
				t.ExtraExtensions = append(t.ExtraExtensions, pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}, Value: embedded})
			}})),
			Target: public,
		},
	}
	return eps
}
