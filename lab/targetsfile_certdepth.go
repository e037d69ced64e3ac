package lab

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/targets"
)

// Lab client certificate files, written next to the lab CA for endpoints
// whose targets present one.
const (
	clientCertFile = "lab-client.pem"
	clientKeyFile  = "lab-client-key.pem"
)

// certDepthFields are a target's pins, client certificate, online
// revocation and zlint settings for the lab's targets file; the client
// certificate's files are written next to the lab CA.
func (l *Lab) certDepthFields(t *scanner.Target, caPath string) ([]targets.Field, error) {
	var fields []targets.Field
	if len(t.Pins) > 0 {
		pins := make([]string, len(t.Pins))
		for i, p := range t.Pins {
			pins[i] = targets.PinPrefix + p
		}
		fields = append(fields, targets.Field{Key: "pins", Value: pins, Flow: true, Quoted: true})
	}
	if t.ClientCert != nil {
		dir := filepath.Dir(caPath)
		if err := l.writeClientCert(dir); err != nil {
			return nil, err
		}
		fields = append(fields,
			targets.Field{Key: "client_cert", Value: filepath.Join(dir, clientCertFile), Quoted: true},
			targets.Field{Key: "client_key", Value: filepath.Join(dir, clientKeyFile), Quoted: true})
	}
	if t.OnlineRevocation {
		fields = append(fields, targets.Field{Key: "online_revocation", Value: true})
	}
	if len(t.Zlint) > 0 {
		fields = append(fields, targets.Field{Key: "zlint", Value: t.Zlint, Flow: true})
	}
	return fields, nil
}

// writeClientCert writes the lab client certificate (with the lab
// intermediate) and its key into dir.
func (l *Lab) writeClientCert(dir string) error {
	c := l.Env.PKI.Client
	key, err := x509.MarshalPKCS8PrivateKey(c.Key)
	if err != nil {
		return fmt.Errorf("encode lab client key: %w", err)
	}
	chain := append(c.PEM(), l.Env.PKI.Inter.PEM()...)
	if err := os.WriteFile(filepath.Join(dir, clientCertFile), chain, 0o644); err != nil {
		return fmt.Errorf("write lab client certificate: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key})
	if err := os.WriteFile(filepath.Join(dir, clientKeyFile), keyPEM, 0o600); err != nil {
		return fmt.Errorf("write lab client key: %w", err)
	}
	return nil
}
