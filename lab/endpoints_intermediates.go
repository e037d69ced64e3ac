package lab

import (
	"crypto/tls"
	"crypto/x509"
)

// SharedIntermediateEndpoints are two servers of one private PKI: one
// sends its chain in full, the other forgets the intermediate, and its
// leaf names no issuer URL (private CAs rarely run an AIA server). Scanned
// in that order by one scanner, the second is an incomplete chain naming
// the intermediate the first sent; scanned alone, an unknown root. They
// are not in Endpoints: the verdict depends on scan order, which the
// lab's parallel self-check does not fix.
func SharedIntermediateEndpoints() []*Endpoint {
	return []*Endpoint{
		httpsEndpoint("pki-full-chain", "leaf from the lab intermediate, no issuer URL, served with the intermediate", nil,
			leaf(CertSpec{Tweak: func(t *x509.Certificate) { t.IssuingCertificateURL = nil }})),
		httpsEndpoint("pki-omits-intermediate", "leaf from the lab intermediate, no issuer URL, served without the intermediate",
			[]string{"chain-incomplete"},
			func(env *Env, name string) (tls.Certificate, error) {
				c, err := env.PKI.Issue(CertSpec{CN: name, Names: []string{name}, Issuer: env.PKI.Inter,
					Tweak: func(t *x509.Certificate) { t.IssuingCertificateURL = nil }})
				if err != nil {
					return tls.Certificate{}, err
				}
				return c.Chain(), nil
			}),
	}
}
