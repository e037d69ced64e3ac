package targets

import (
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/inputfile"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// LoadCA reads PEM or DER certificates into a pool, from a file of at
// most inputfile.CertCap bytes.
func LoadCA(path string) (*x509.CertPool, error) {
	data, err := inputfile.ReadFile(path, inputfile.CertCap)
	if err != nil {
		return nil, fmt.Errorf("cannot read CA file: %v", err) // names the file
	}
	certs, err := certinfo.ParseCertificates(data)
	switch {
	case errors.Is(err, certinfo.ErrNoCertificates):
		return nil, fmt.Errorf("%s %v", textsafe.Path(path), err)
	case err != nil:
		return nil, fmt.Errorf("%s: %v", textsafe.Path(path), err)
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}
