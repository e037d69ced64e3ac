package targets

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// errNoCertificates is ParseCertificates' error for data that parses but
// holds no certificate.
var errNoCertificates = errors.New("holds no certificates")

// ParseCertificates reads certificates as people save them: PEM (every
// CERTIFICATE block, other blocks skipped) or DER (one or more
// concatenated). Errors name no file: callers add the path.
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	if bytes.Contains(data, []byte("-----BEGIN")) {
		for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
			if block.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("certificate %d: %v", len(certs)+1, err)
			}
			certs = append(certs, c)
		}
	} else {
		var err error
		if certs, err = x509.ParseCertificates(data); err != nil {
			return nil, fmt.Errorf("not PEM, and not DER certificates: %v", err)
		}
	}
	if len(certs) == 0 {
		return nil, errNoCertificates
	}
	return certs, nil
}

// LoadCA reads PEM or DER certificates into a pool.
func LoadCA(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read CA file: %v", unwrapPathErr(err))
	}
	certs, err := ParseCertificates(data)
	switch {
	case errors.Is(err, errNoCertificates):
		return nil, fmt.Errorf("%s %v", path, err)
	case err != nil:
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return fmt.Errorf("%s: %v", pe.Path, pe.Err)
	}
	return err
}
