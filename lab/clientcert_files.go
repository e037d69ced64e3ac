package lab

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
)

// Lab client certificate files, written next to the lab CA for endpoints
// whose targets present one.
const (
	clientCertFile = "lab-client.pem"
	clientKeyFile  = "lab-client-key.pem"
)

// writeClientCert writes the lab client certificate (with the lab
// intermediate) and its key into dir, for the targets that present it,
// and returns their paths.
func (l *Lab) writeClientCert(dir string) (cert, key string, err error) {
	c := l.Env.PKI.Client
	der, err := x509.MarshalPKCS8PrivateKey(c.Key)
	if err != nil {
		return "", "", fmt.Errorf("encode lab client key: %w", err)
	}
	cert, key = filepath.Join(dir, clientCertFile), filepath.Join(dir, clientKeyFile)
	chain := append(c.PEM(), l.Env.PKI.Inter.PEM()...)
	if err := os.WriteFile(cert, chain, 0o644); err != nil {
		return "", "", fmt.Errorf("write lab client certificate: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err := os.WriteFile(key, keyPEM, 0o600); err != nil {
		return "", "", fmt.Errorf("write lab client key: %w", err)
	}
	return cert, key, nil
}
