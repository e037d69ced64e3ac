package httpprobe_test

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/report"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/httpprobe"
)

// The configured headers of these tests: an API key and credentials in
// both common Authorization shapes.
const (
	apiKey    = "Sekrit-Api-Key-4242"
	bearer    = "tok-9f8e7d6c5b4a"
	basicUser = "deploy"
	basicPass = "hunter2-hunter2"
)

var basicCreds = base64.StdEncoding.EncodeToString([]byte(basicUser + ":" + basicPass))

func secretTarget(t *scanner.Target) {
	t.HTTP.Headers = map[string]string{
		"X-Api-Key":           apiKey,
		"Authorization":       "Bearer " + bearer,
		"Proxy-Authorization": "Basic " + basicCreds,
	}
}

// secretForms are the strings no report may hold.
var secretForms = []string{apiKey, strings.ToLower(apiKey), strings.ToUpper(apiKey), bearer, basicCreds, basicPass}

// headerLog records what the servers of a test received.
type headerLog struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (l *headerLog) add(r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, r)
}

// leaked describes each request that carried a configured value.
func (l *headerLog) leaked() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.reqs {
		var raw bytes.Buffer
		r.Header.Write(&raw)
		s := r.RequestURI + "\n" + raw.String()
		var carried []string
		for _, f := range []string{apiKey, bearer, basicCreds} {
			if strings.Contains(s, f) {
				carried = append(carried, f)
			}
		}
		if len(carried) > 0 {
			out = append(out, fmt.Sprintf("tls=%v %s carried %q", r.TLS != nil, r.RequestURI, carried))
		}
	}
	return out
}

func (l *headerLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.reqs)
}

// recordingHTTPS serves HTTPS with cfg(env, name) and plain HTTP that
// redirects to it, recording every request. The HTTPS answer sends HSTS
// so the probe is seen to work without the headers.
func recordingHTTPS(name string, log *headerLog, cfg func(env *lab.Env, name string) (*tls.Config, error), target func(*scanner.Target)) *lab.Endpoint {
	var plainPort int
	return &lab.Endpoint{
		Name: name,
		Start: func(env *lab.Env, ln net.Listener) error {
			c, err := cfg(env, env.ServerName(name))
			if err != nil {
				return err
			}
			pln, port, err := env.ListenCompanion()
			if err != nil {
				return err
			}
			plainPort = port
			tlsPort := ln.Addr().(*net.TCPAddr).Port
			env.ServeHTTPS(ln, c, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				log.add(r)
				w.Header().Set("Strict-Transport-Security", "max-age=31536000")
			}))
			env.ServePlainHTTP(pln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				log.add(r)
				host, _, _ := net.SplitHostPort(r.Host)
				http.Redirect(w, r, "https://"+net.JoinHostPort(host, itoa(tlsPort))+"/", http.StatusMovedPermanently)
			}))
			return nil
		},
		Target: func(_ *lab.Env, t *scanner.Target) {
			t.HTTP.Port = plainPort
			secretTarget(t)
			if target != nil {
				target(t)
			}
		},
	}
}

func selfSigned(env *lab.Env, name string) (*tls.Config, error) {
	c, err := env.PKI.Issue(lab.CertSpec{CN: name, Names: []string{name}})
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{c.Chain()}}, nil
}

func otherName(env *lab.Env, _ string) (*tls.Config, error) {
	return labCert(env, "someone-else."+lab.Domain)
}

func oldTLS(env *lab.Env, name string) (*tls.Config, error) {
	cfg, err := labCert(env, name)
	if err != nil {
		return nil, err
	}
	cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS10, tls.VersionTLS11
	return cfg, nil
}

// TestHTTPHeadersWithheldFromUnverifiedServers checks that a server whose
// certificate a client of the target would refuse never receives the
// configured headers, over HTTPS or plain HTTP, while the probe still
// runs (HSTS is read) and the result says why they were withheld.
func TestHTTPHeadersWithheldFromUnverifiedServers(t *testing.T) {
	wrongPin := func(t *scanner.Target) { t.Pins = []string{"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="} }
	cases := []struct {
		name   string
		cfg    func(*lab.Env, string) (*tls.Config, error)
		target func(*scanner.Target)
		want   string // in HeadersWithheld; "" means the headers are sent
	}{
		{"self-signed", selfSigned, nil, "the certificate did not verify: "},
		{"wrong-name", otherName, nil, "the certificate did not verify: "},
		{"system-roots", labCert, func(t *scanner.Target) { t.Roots, t.RootsName = nil, "" }, "the certificate did not verify: "},
		{"pins-mismatch", labCert, wrongPin, "no key of the verified chain matches the target's pins"},
		{"old-tls", oldTLS, nil, "the connection used TLS 1.1"},
		{"verified", labCert, nil, ""},
	}
	logs := map[string]*headerLog{}
	var eps []*lab.Endpoint
	for _, c := range cases {
		logs[c.name] = &headerLog{}
		eps = append(eps, recordingHTTPS(c.name, logs[c.name], c.cfg, c.target))
	}
	l := startHTTPLab(t, lab.Options{Endpoints: eps})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := l.Endpoint(c.name).Target()
			r := scanHTTP(t, l, scanner.Options{}, target)
			if r.HTTP == nil || r.HTTP.HTTPS == nil || !r.HTTP.HTTPS.Answered() {
				t.Fatalf("no HTTPS answer: err %v, http %+v", r.Err, r.HTTP)
			}
			hp := r.HTTP.HTTPS
			if hp.HSTS == nil {
				t.Errorf("HSTS not read without the headers")
			}
			leaked := logs[c.name].leaked()
			if c.want == "" {
				if hp.HeadersWithheld != "" || len(leaked) != 1 {
					t.Errorf("verified server: withheld %q, requests with the headers %q", hp.HeadersWithheld, leaked)
				}
				return
			}
			if len(leaked) > 0 {
				t.Errorf("secrets reached the server: %q", leaked)
			}
			if logs[c.name].count() < 2 {
				t.Errorf("%d requests: the probes did not run without the headers", logs[c.name].count())
			}
			if !strings.Contains(hp.HeadersWithheld, c.want) {
				t.Errorf("HeadersWithheld = %q, want %q", hp.HeadersWithheld, c.want)
			}
			if c.name != "pins-mismatch" && c.name != "old-tls" && hp.CertVerified {
				t.Errorf("cert_verified true for %s", c.name)
			}
			js := reportAll(t, r)
			if !strings.Contains(js, `"request_headers_withheld"`) {
				t.Errorf("JSON report does not say the headers were withheld")
			}
		})
	}
}

// echoEndpoint is a trusted server that echoes every request header it
// receives, and the secrets it knows, into everything the probe keeps:
// the status line, a Location, the HSTS header, an unrelated header, the
// body (also upper-cased and as the bare bearer token). Its plain port
// redirects to a URL holding the API key.
func echoEndpoint(name string, log *headerLog) *lab.Endpoint {
	var plainPort int
	echo := func(c net.Conn, isTLS bool) {
		defer c.Close()
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		if isTLS {
			req.TLS = &tls.ConnectionState{}
		}
		log.add(req)
		var hdrs bytes.Buffer
		req.Header.Write(&hdrs)
		all := strings.ReplaceAll(hdrs.String(), "\r\n", "; ")
		host, _, _ := net.SplitHostPort(req.Host)
		status, location := "200 OK "+apiKey, ""
		if !isTLS && req.URL.Path == "/" {
			status = "302 Found " + apiKey
			location = "http://" + net.JoinHostPort(host, itoa(plainPort)) + "/next?key=" + apiKey + "&auth=" + bearer
		}
		body := "echo: " + all + " upper: " + strings.ToUpper(apiKey) + " token: " + bearer + " pass: " + basicPass
		fmt.Fprintf(c, "HTTP/1.1 %s\r\n", status)
		fmt.Fprintf(c, "Strict-Transport-Security: max-age=31536000; note=%q\r\n", apiKey)
		fmt.Fprintf(c, "X-Echo: %s\r\n", all)
		fmt.Fprintf(c, "X-%s: leaked-name\r\n", apiKey)
		if location != "" {
			fmt.Fprintf(c, "Location: %s\r\n", location)
		}
		fmt.Fprintf(c, "Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	}
	return &lab.Endpoint{
		Name: name,
		Start: func(env *lab.Env, ln net.Listener) error {
			cfg, err := labCert(env, env.ServerName(name))
			if err != nil {
				return err
			}
			pln, port, err := env.ListenCompanion()
			if err != nil {
				return err
			}
			plainPort = port
			env.Accept(tls.NewListener(ln, cfg), func(c net.Conn) { echo(c, true) })
			env.Accept(pln, func(c net.Conn) { echo(c, false) })
			return nil
		},
		Target: func(_ *lab.Env, t *scanner.Target) {
			t.HTTP.Port = plainPort
			secretTarget(t)
		},
	}
}

// TestHTTPHeaderValuesRedacted checks that whatever a verified server
// echoes of the configured headers reaches no report, in any format, and
// that a redirect holding a secret is never requested with it.
func TestHTTPHeaderValuesRedacted(t *testing.T) {
	log := &headerLog{}
	l := startHTTPLab(t, lab.Options{Endpoints: []*lab.Endpoint{echoEndpoint("echo", log)}})
	target := l.Endpoint("echo").Target()
	target.Pins = []string{certinfo.SPKIPin(l.Env.PKI.Root.Cert)}
	r := scanHTTP(t, l, scanner.Options{}, target)
	hp := r.HTTP.HTTPS
	if hp == nil || !hp.Answered() || hp.HeadersWithheld != "" || !hp.CertVerified {
		t.Fatalf("HTTPS probe %+v", hp)
	}
	// The verified server got the headers (once: only the HTTPS probe).
	if leaked := log.leaked(); len(leaked) == 0 || strings.Contains(strings.Join(leaked, " "), "tls=false") {
		t.Errorf("requests with the headers: %q", leaked)
	}
	if hp.HSTS == nil || !hp.HSTS.Valid {
		t.Errorf("HSTS %+v: redaction broke the header", hp.HSTS)
	}
	if !strings.Contains(hp.StatusLine, httpprobe.RedactedMarker) || !strings.Contains(string(hp.BodyPrefix), httpprobe.RedactedMarker) {
		t.Errorf("status %q body %q: nothing redacted", hp.StatusLine, hp.BodyPrefix)
	}
	out := reportAll(t, r)
	for _, f := range secretForms {
		if i := strings.Index(out, f); i >= 0 {
			t.Errorf("report holds %q: ...%s...", f, out[max(0, i-80):min(len(out), i+80)])
		}
	}
	if !strings.Contains(out, httpprobe.RedactedMarker) {
		t.Error("no redaction marker in the reports")
	}
}

// reportAll renders r in every report format and returns them together.
func reportAll(t *testing.T, r *scanner.Result) string {
	t.Helper()
	var all strings.Builder
	for _, format := range report.Formats {
		var buf bytes.Buffer
		w, err := report.New(format, &buf, report.Meta{Tool: "tlsaudit"}, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sum := report.NewSummary()
		sum.Add(r)
		if err := w.Write(r); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if err := w.Close(sum); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		all.Write(buf.Bytes())
	}
	return all.String()
}
