package scanner_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
)

func scan(t *testing.T, target *scanner.Target) *scanner.Result {
	t.Helper()
	var r *scanner.Result
	scanner.New(scanner.Options{}).ScanTarget(context.Background(), target, func(res *scanner.Result) { r = res })
	return r
}

// TestOnlineOCSP asks a local OCSP responder about the lab's good leaf,
// pointed at it by a leaf the test issues.
func TestOnlineOCSP(t *testing.T) {
	l := startLab(t, "good")
	pki := l.Env.PKI
	var requests atomic.Int32
	responder := func(status int, httpStatus int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			body, _ := io.ReadAll(r.Body)
			req, err := ocsp.ParseRequest(body)
			if err != nil || r.Header.Get("Content-Type") != "application/ocsp-request" {
				http.Error(w, "bad request", http.StatusBadRequest)
				return
			}
			if httpStatus != http.StatusOK {
				http.Error(w, "down", httpStatus)
				return
			}
			der, err := ocsp.CreateResponse(pki.Inter.Cert, pki.Inter.Cert, ocsp.Response{
				Status: status, SerialNumber: req.SerialNumber, ThisUpdate: time.Now().Add(-time.Hour),
				NextUpdate: time.Now().Add(time.Hour), RevokedAt: time.Now().Add(-time.Hour),
			}, pki.Inter.Key)
			if err != nil {
				t.Error(err)
			}
			w.Write(der)
		}))
		t.Cleanup(srv.Close)
		return srv.URL + "/"
	}
	serve := func(ocspURL string) *scanner.Target {
		c, err := pki.Issue(lab.CertSpec{CN: "ocsp.example.test", Names: []string{"ocsp.example.test"}, Issuer: pki.Inter,
			Tweak: func(c *x509.Certificate) { c.OCSPServer = []string{ocspURL} }})
		if err != nil {
			t.Fatal(err)
		}
		port := serveTLS(t, &tls.Config{Certificates: []tls.Certificate{c.Chain(pki.Inter)}})
		return &scanner.Target{Host: "127.0.0.1", Port: port, ServerName: "ocsp.example.test", Roots: pki.RootPool(),
			RootsName: "lab", ConnectTimeout: 5 * time.Second, Deadline: 10 * time.Second, OnlineRevocation: true}
	}

	t.Run("revoked", func(t *testing.T) {
		url := responder(ocsp.Revoked, http.StatusOK)
		r := scan(t, serve(url))
		o := r.Handshake.OnlineOCSP
		if o == nil || o.URL != url || o.Err != "" || o.Response == nil {
			t.Fatalf("online OCSP = %+v", o)
		}
		leaf := r.Handshake.Leaf()
		if s := certinfo.ParseOCSP(o.Response, leaf, pki.Inter.Cert); s.Status != "revoked" || !s.SignatureVerified {
			t.Errorf("response says %+v", s)
		}
	})
	t.Run("responder fails", func(t *testing.T) {
		r := scan(t, serve(responder(ocsp.Good, http.StatusServiceUnavailable)))
		if o := r.Handshake.OnlineOCSP; o == nil || o.Response != nil || !strings.Contains(o.Err, "HTTP 503") {
			t.Errorf("online OCSP = %+v", o)
		}
	})
	t.Run("responder unreachable", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		url := "http://" + ln.Addr().String() + "/"
		ln.Close()
		r := scan(t, serve(url))
		if o := r.Handshake.OnlineOCSP; o == nil || o.Response != nil || o.Err == "" {
			t.Errorf("online OCSP = %+v", o)
		}
	})
	t.Run("off unless asked", func(t *testing.T) {
		before := requests.Load()
		target := serve(responder(ocsp.Good, http.StatusOK))
		target.OnlineRevocation = false
		if r := scan(t, target); r.Handshake.OnlineOCSP != nil || requests.Load() != before {
			t.Errorf("responder asked without OnlineRevocation: %+v", r.Handshake.OnlineOCSP)
		}
	})
}

// TestClientCertTLS12 covers the TLS 1.2 handshake, where a server that
// requires a client certificate fails the handshake itself (in TLS 1.3 the
// lab's mtls-no-client-cert endpoint covers the alert after it).
func TestClientCertTLS12(t *testing.T) {
	l := startLab(t, "good")
	pki := l.Env.PKI
	c, err := pki.Issue(lab.CertSpec{CN: "mtls.example.test", Names: []string{"mtls.example.test"}, Issuer: pki.Inter})
	if err != nil {
		t.Fatal(err)
	}
	port := serveTLS(t, &tls.Config{
		Certificates: []tls.Certificate{c.Chain(pki.Inter)},
		MaxVersion:   tls.VersionTLS12,
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pki.RootPool(),
	})
	target := func(cert *tls.Certificate) *scanner.Target {
		return &scanner.Target{Host: "127.0.0.1", Port: port, ServerName: "mtls.example.test",
			Roots: pki.RootPool(), ConnectTimeout: 5 * time.Second, Deadline: 10 * time.Second, ClientCert: cert}
	}

	r := scan(t, target(nil))
	if r.Err == nil || r.Err.Kind != netx.KindClientCert || !strings.Contains(r.Err.Message(), "server requires a client certificate") {
		t.Errorf("without a client certificate: %v", r.Err)
	}

	good := pki.Client.Chain(pki.Inter)
	r = scan(t, target(&good))
	if r.Err != nil || !r.Handshake.ClientCertRequested || !r.Handshake.ClientCertSent {
		t.Errorf("with the lab client certificate: err %v, handshake %+v", r.Err, r.Handshake)
	}

	stranger, err := pki.Issue(lab.CertSpec{CN: "stranger", Issuer: pki.OtherInter})
	if err != nil {
		t.Fatal(err)
	}
	bad := stranger.Chain()
	r = scan(t, target(&bad))
	if r.Err == nil || r.Err.Kind != netx.KindHandshake || !strings.Contains(r.Err.Message(), "server rejected the client certificate") {
		t.Errorf("with an untrusted client certificate: %v", r.Err)
	}
}

// serveTLS serves HTTPS with cfg on a loopback port until the test ends,
// and returns the port.
func serveTLS(t *testing.T, cfg *tls.Config) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.NotFoundHandler(), ErrorLog: discardLog()}
	go srv.Serve(tls.NewListener(ln, cfg))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }
