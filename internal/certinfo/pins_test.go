package certinfo_test

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/lab"
)

func TestChainMatchesPins(t *testing.T) {
	pki, err := lab.NewPKI(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := pki.Issue(lab.CertSpec{Names: []string{"a.tlsaudit.test"}, Issuer: pki.Inter})
	if err != nil {
		t.Fatal(err)
	}
	served := []*x509.Certificate{leaf.Cert, pki.Inter.Cert}
	cases := []struct {
		name  string
		spki  []string
		certs []*x509.Certificate
		want  bool
	}{
		{"leaf key", []string{certinfo.SPKIPin(leaf.Cert)}, nil, true},
		{"intermediate key among others", []string{"AAAA", certinfo.SPKIPin(pki.Inter.Cert)}, nil, true},
		{"unserved root key", []string{certinfo.SPKIPin(pki.Root.Cert)}, nil, false},
		{"root certificate anchors the chain", nil, []*x509.Certificate{pki.Root.Cert}, true},
		{"another hierarchy's root", nil, []*x509.Certificate{pki.OtherRoot.Cert}, false},
		{"other keys", []string{certinfo.SPKIPin(pki.OtherInter.Cert)}, nil, false},
	}
	for _, c := range cases {
		if got := certinfo.ChainMatchesPins(served, c.spki, c.certs); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestNormalizePin(t *testing.T) {
	for in, want := range map[string]string{"sha256/abc=": "abc=", "SHA256/abc=": "abc=", " abc= ": "abc=", "sha1/abc=": "", "sha256/": ""} {
		got, ok := certinfo.NormalizePin(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizePin(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}
