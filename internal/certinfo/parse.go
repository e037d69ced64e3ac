package certinfo

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// ErrNoCertificates is ParseCertificates' error for data that parses but
// holds no certificate.
var ErrNoCertificates = errors.New("holds no certificates")

// ParseCertificates reads certificates as people save them: PEM (every
// CERTIFICATE block, other blocks skipped) or DER (one or more
// concatenated). Errors name no file: callers add the path.
//
// With an error, it still returns the PEM certificates that did parse:
// a CA file with a broken certificate is an error to report, while
// discovery, reading what an app ships, keeps what it can.
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	if bytes.Contains(data, []byte("-----BEGIN")) {
		var first error
		n := 0
		for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
			if block.Type != "CERTIFICATE" {
				continue
			}
			n++
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				if first == nil {
					first = fmt.Errorf("certificate %d: %v", n, err)
				}
				continue
			}
			certs = append(certs, c)
		}
		if first != nil {
			return certs, first
		}
	} else {
		var err error
		if certs, err = x509.ParseCertificates(data); err != nil {
			return nil, fmt.Errorf("not PEM, and not DER certificates: %v", err)
		}
	}
	if len(certs) == 0 {
		return nil, ErrNoCertificates
	}
	return certs, nil
}
