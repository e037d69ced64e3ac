package lab

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"net"

	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

// oversizedEndpoints serve certificate data that a careless client would
// choke on: more than fits a handshake message, hundreds of certificates,
// a certificate crypto/x509 refuses. Each must end as one bounded result.
func oversizedEndpoints() []*Endpoint {
	return []*Endpoint{
		{
			Name: "oversized-chain",
			Doc:  "sends a 2 MB certificate chain (500 padded certificates), far over the 256 KiB crypto/tls accepts",
			// The client refuses the message from its header, before
			// reading it: bounded memory, and a kind of its own.
			WantError: netx.KindTooLarge,
			Start: func(env *Env, ln net.Listener) error {
				return serveWithPadding(env, ln, "oversized-chain", 500, 4000)
			},
		},
		{
			Name: "long-chain",
			Doc:  "sends its chain followed by 250 unrelated self-signed certificates (about 100 KB): parsed, bounded, still trusted",
			Want: []string{"chain-order", "chain-sends-root"},
			Start: func(env *Env, ln net.Listener) error {
				return serveWithPadding(env, ln, "long-chain", 250, 0)
			},
		},
		{
			Name: "malformed-cert",
			Doc:  "leaf with a duplicated extension: crypto/x509 refuses it, the zcrypto fallback still gets the chain",
			Want: []string{"cert-malformed"},
			// Every other check that reads the leaf cannot judge it: could
			// not decide, never a silent pass. (Pins, OCSP and zlint are not
			// in play here, so those checks have nothing to decide.)
			WantUndecided: []string{
				"cert-expired", "cert-not-yet-valid", "cert-expiring-soon",
				"chain-self-signed", "chain-untrusted-root", "chain-incomplete", "chain-invalid",
				"hostname-mismatch", "key-weak", "signature-weak", "cert-lifetime-too-long",
				"cert-missing-san", "chain-order", "chain-sends-root",
			},
			Start: serveChain("malformed-cert", malformedLeaf),
		},
	}
}

// serveWithPadding serves a good leaf and intermediate followed by n
// self-signed certificates, each carrying pad bytes of an unknown
// non-critical extension.
func serveWithPadding(env *Env, ln net.Listener, name string, n, pad int) error {
	c, err := leaf(CertSpec{})(env, env.ServerName(name))
	if err != nil {
		return err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	for i := range n {
		der, err := paddingCert(env, key, i, pad)
		if err != nil {
			return err
		}
		c.Certificate = append(c.Certificate, der)
	}
	env.ServeHTTPS(ln, &tls.Config{Certificates: []tls.Certificate{c}}, Hello(name))
	return nil
}

// padOID is under the example private enterprise arc; no client knows it.
var padOID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 1, 1}

func paddingCert(env *Env, key *ecdsa.PrivateKey, i, pad int) ([]byte, error) {
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(int64(i + 1)),
		Subject:      pkix.Name{CommonName: fmt.Sprintf("tlsaudit lab padding %d", i)},
		NotBefore:    env.PKI.Now.Add(-day),
		NotAfter:     env.PKI.Now.Add(90 * day),
	}
	if pad > 0 {
		tpl.ExtraExtensions = []pkix.Extension{{Id: padOID, Value: make([]byte, pad)}}
	}
	return x509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
}

// malformedLeaf issues a leaf from the lab intermediate that carries one
// extension twice, which RFC 5280 (4.2) forbids and crypto/x509 rejects,
// while more lenient parsers (zcrypto, many TLS stacks) accept it. PKI.Issue
// parses what it makes, so this one is signed directly.
func malformedLeaf(env *Env, name string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	ext := pkix.Extension{Id: padOID, Value: []byte{0x05, 0x00}}
	tpl := &x509.Certificate{
		SerialNumber:    big.NewInt(1),
		Subject:         pkix.Name{CommonName: name, Organization: []string{"tlsaudit lab"}},
		DNSNames:        []string{name},
		NotBefore:       env.PKI.Now.Add(-day),
		NotAfter:        env.PKI.Now.Add(90 * day),
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		ExtraExtensions: []pkix.Extension{ext, ext},
	}
	inter := env.PKI.Inter
	der, err := x509.CreateCertificate(rand.Reader, tpl, inter.Cert, key.Public(), inter.Key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("malformed leaf: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der, inter.Cert.Raw}, PrivateKey: crypto.Signer(key)}, nil
}
