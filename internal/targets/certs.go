package targets

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
)

// LoadCA reads PEM or DER certificates into a pool.
func LoadCA(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read CA file: %v", unwrapPathErr(err))
	}
	certs, err := certinfo.ParseCertificates(data)
	switch {
	case errors.Is(err, certinfo.ErrNoCertificates):
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
