package scanner

import (
	"crypto/tls"
	"crypto/x509"
	"time"

	ztls "github.com/zmap/zcrypto/tls"
)

// The TLS client side every connection to a target shares (the shared
// handshake and the HTTPS probe): one way to build each client's config and
// to read the served chain, so a server the handshake reached is reached
// the same way again.

// noteClientCert returns the client-certificate callback's bookkeeping:
// it records in h (when not nil) that the server asked for a certificate
// and whether the target's was sent, and says whether to send it.
func noteClientCert(t *Target, h *Handshake) bool {
	if h != nil {
		h.ClientCertRequested = true
		h.ClientCertSent = t.ClientCert != nil
	}
	return t.ClientCert != nil
}

// modernConfig is the crypto/tls client config for t: its SNI, TLS 1.0 to
// 1.3 with Go's default suites, its client certificate when asked for, and
// no verification, so that a bad certificate still yields the whole chain
// and becomes a finding rather than an error (verifyChain judges it after).
// A fresh config per connection: nothing is shared between connections.
// What the server asks of client certificates is recorded in h, if not nil.
func modernConfig(t *Target, h *Handshake) *tls.Config {
	return &tls.Config{
		ServerName:         t.SNI(),
		InsecureSkipVerify: true,
		MinVersion:         tls.VersionTLS10,
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			if noteClientCert(t, h) {
				return t.ClientCert, nil
			}
			return &tls.Certificate{}, nil
		},
	}
}

// legacyConfig is the zcrypto client config for servers crypto/tls cannot
// complete a handshake with: SSL 3.0 to TLS 1.2 and every suite zcrypto
// implements, otherwise as modernConfig.
func legacyConfig(t *Target, h *Handshake) *ztls.Config {
	return &ztls.Config{
		ServerName:         t.SNI(),
		InsecureSkipVerify: true,
		MinVersion:         ztls.VersionSSL30,
		MaxVersion:         ztls.VersionTLS12,
		CipherSuites:       legacySuites,
		// Without ForceSuites zcrypto silently drops suites missing from
		// its default list, DHE among them.
		ForceSuites: true,
		GetClientCertificate: func(*ztls.CertificateRequestInfo) (*ztls.Certificate, error) {
			if noteClientCert(t, h) {
				return &ztls.Certificate{Certificate: t.ClientCert.Certificate, PrivateKey: t.ClientCert.PrivateKey}, nil
			}
			return &ztls.Certificate{}, nil
		},
	}
}

// legacyChain is the DER of every certificate a zcrypto handshake was
// served, leaf first. zcrypto parses leniently; parseChain then applies
// crypto/x509's stricter parser.
func legacyChain(zc *ztls.Conn) [][]byte {
	log := zc.GetHandshakeLog()
	if log == nil || log.ServerCertificates == nil {
		return nil
	}
	der := [][]byte{log.ServerCertificates.Certificate.Raw}
	for _, c := range log.ServerCertificates.Chain {
		der = append(der, c.Raw)
	}
	return der
}

// verifyPath runs crypto/x509's verification of served (leaf first, the
// rest offered as intermediates in any order) against roots (nil: the
// system roots) at the given time, for serverAuth, and for dnsName unless
// it is empty. It is the one place the scanner builds VerifyOptions for a
// served chain: verifyChain classifies its failures, verifyPeer takes its
// verdict as a browser would.
func verifyPath(served []*x509.Certificate, roots *x509.CertPool, dnsName string, at time.Time) ([][]*x509.Certificate, error) {
	inter := x509.NewCertPool()
	for _, c := range served[1:] {
		inter.AddCert(c)
	}
	return served[0].Verify(x509.VerifyOptions{
		DNSName:       dnsName,
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
}
