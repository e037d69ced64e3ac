package scanner

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"time"

	ztls "github.com/zmap/zcrypto/tls"
)

// openHTTP connects to addr for one HTTP request: plain TCP for "http",
// TLS for "https". The TLS side is set up the way the shared handshake
// was, with a fresh config per connection: the target's SNI and client
// certificate, crypto/tls, or zcrypto when only zcrypto could complete the
// shared handshake. It
// does not verify the certificate, so a host with a bad certificate still
// answers; chain is what the server sent, for verifyPeer.
func (s *Scanner) openHTTP(ctx context.Context, t *Target, addr, scheme string, legacy bool) (conn net.Conn, chain []*x509.Certificate, se *ScanError) {
	raw, _, se := s.dial(ctx, t, addr)
	if se != nil {
		return nil, nil, se
	}
	if scheme == "http" {
		return raw, nil, nil
	}
	if legacy {
		zc := ztls.Client(raw, &ztls.Config{
			ServerName:         t.SNI(),
			InsecureSkipVerify: true,
			MinVersion:         ztls.VersionSSL30,
			MaxVersion:         ztls.VersionTLS12,
			CipherSuites:       legacySuites,
			GetClientCertificate: func(*ztls.CertificateRequestInfo) (*ztls.Certificate, error) {
				if t.ClientCert != nil {
					return &ztls.Certificate{Certificate: t.ClientCert.Certificate, PrivateKey: t.ClientCert.PrivateKey}, nil
				}
				return &ztls.Certificate{}, nil
			},
		})
		if err := zc.Handshake(); err != nil {
			raw.Close()
			return nil, nil, classify(ctx, phaseHandshake, err)
		}
		var der [][]byte
		if log := zc.GetHandshakeLog(); log != nil && log.ServerCertificates != nil {
			der = append(der, log.ServerCertificates.Certificate.Raw)
			for _, c := range log.ServerCertificates.Chain {
				der = append(der, c.Raw)
			}
		}
		chain, _ = parseChain(der)
		return zc, chain, nil
	}
	tc := tls.Client(raw, &tls.Config{
		ServerName:         t.SNI(),
		InsecureSkipVerify: true, // verifyPeer records the verdict; the trust checks judge it
		MinVersion:         tls.VersionTLS10,
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			if t.ClientCert != nil {
				return t.ClientCert, nil
			}
			return &tls.Certificate{}, nil
		},
	})
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, nil, classify(ctx, phaseHandshake, err)
	}
	return tc, tc.ConnectionState().PeerCertificates, nil
}

// verifyPeer verifies chain for t as a client of t would: against t's
// roots, for t's server name, now. Browsers ignore HSTS received over a
// connection with certificate errors (RFC 6797 §8.1), so the verdict is
// part of the HSTS observation.
func verifyPeer(chain []*x509.Certificate, t *Target, now time.Time) error {
	if len(chain) == 0 {
		return errors.New("the server sent no certificate that parses")
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{
		DNSName:       t.ServerName,
		Roots:         t.Roots,
		Intermediates: inter,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	return err
}
