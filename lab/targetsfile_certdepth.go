package lab

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/targets"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// Lab client certificate files, written next to the lab CA for endpoints
// whose targets present one.
const (
	clientCertFile = "lab-client.pem"
	clientKeyFile  = "lab-client-key.pem"
)

// writeCertDepth adds a target's pins, client certificate, online
// revocation and zlint settings to the lab's targets file.
func (l *Lab) writeCertDepth(b *strings.Builder, prefix string, t *scanner.Target, caPath string) error {
	if len(t.Pins) > 0 {
		quoted := make([]string, len(t.Pins))
		for i, p := range t.Pins {
			quoted[i] = strconv.Quote(targets.PinPrefix + p)
		}
		fmt.Fprintf(b, "%s  pins: [%s]\n", prefix, strings.Join(quoted, ", "))
	}
	if t.ClientCert != nil {
		dir := filepath.Dir(caPath)
		if err := l.writeClientCert(dir); err != nil {
			return err
		}
		fmt.Fprintf(b, "%s  client_cert: %s\n", prefix, strconv.Quote(filepath.Join(dir, clientCertFile)))
		fmt.Fprintf(b, "%s  client_key: %s\n", prefix, strconv.Quote(filepath.Join(dir, clientKeyFile)))
	}
	if t.OnlineRevocation {
		fmt.Fprintf(b, "%s  online_revocation: true\n", prefix)
	}
	if len(t.Zlint) > 0 {
		fmt.Fprintf(b, "%s  zlint: [%s]\n", prefix, strings.Join(t.Zlint, ", "))
	}
	return nil
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
