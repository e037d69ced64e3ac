package scanner_test

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/targets"
)

// The fleet benchmarks scan N lab-style HTTPS endpoints (a leaf per
// endpoint from the lab intermediate, served with the intermediate, HSTS,
// as the lab's "good" endpoint). The endpoints run in a child process so
// that the benchmark's CPU time and allocations are the client's alone,
// and so the server's file descriptors do not count against the client's
// limit. The child is this test binary re-run as TestFleetServerProcess.

const fleetServeEnv = "TLSAUDIT_FLEET_SERVE"

// fleetServer is a running child process serving N endpoints.
type fleetServer struct {
	Targets []*scanner.Target

	mu  sync.Mutex
	in  io.WriteCloser
	out *bufio.Reader
	cmd *exec.Cmd
}

// fleetHello is what the child prints once its endpoints listen.
type fleetHello struct {
	RootPEM   string   `json:"root_pem"`
	Addrs     []string `json:"addrs"`
	Names     []string `json:"names"`
	Endpoints []string `json:"endpoints"`
}

const fleetHelloPrefix = "FLEET-HELLO "

var (
	fleetMu      sync.Mutex
	fleetServers = map[int]*fleetServer{}
)

// startFleet returns a child serving n endpoints, started once per n and
// shared by every benchmark of this process (the child ends when this
// process does: its standard input closes).
func startFleet(tb testing.TB, n int) *fleetServer {
	tb.Helper()
	fleetMu.Lock()
	defer fleetMu.Unlock()
	if fs := fleetServers[n]; fs != nil {
		return fs
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFleetServerProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), fleetServeEnv+"="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	fs := &fleetServer{in: in, out: bufio.NewReader(outPipe), cmd: cmd}
	var hello fleetHello
	for {
		line, err := fs.out.ReadString('\n')
		if err != nil {
			tb.Fatalf("fleet server: %v", err)
		}
		if rest, ok := strings.CutPrefix(line, fleetHelloPrefix); ok {
			if err := json.Unmarshal([]byte(rest), &hello); err != nil {
				tb.Fatal(err)
			}
			break
		}
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM([]byte(hello.RootPEM)) {
		tb.Fatal("fleet server: bad root")
	}
	for i, a := range hello.Addrs {
		ap := netip.MustParseAddrPort(a)
		fs.Targets = append(fs.Targets, &scanner.Target{
			Index:          i,
			Name:           hello.Endpoints[i],
			Host:           ap.Addr().String(),
			Port:           int(ap.Port()),
			ServerName:     hello.Names[i],
			Roots:          roots,
			RootsName:      "lab root CA",
			ExpiryWarnDays: targets.DefaultExpiryWarnDays,
			ConnectTimeout: scanner.DefaultConnectTimeout,
			Deadline:       scanner.DefaultDeadline,
		})
	}
	fleetServers[n] = fs
	return fs
}

// Accepted is how many connections the child's endpoints have accepted.
func (fs *fleetServer) Accepted(tb testing.TB) int64 {
	tb.Helper()
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if _, err := io.WriteString(fs.in, "count\n"); err != nil {
		tb.Fatal(err)
	}
	line, err := fs.out.ReadString('\n')
	if err != nil {
		tb.Fatal(err)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(line), 10, 64)
	if err != nil {
		tb.Fatalf("fleet server count: %q", line)
	}
	return n
}

// TestFleetServerProcess is the child side: it is skipped in normal runs.
func TestFleetServerProcess(t *testing.T) {
	v := os.Getenv(fleetServeEnv)
	if v == "" {
		t.Skip("helper process for the fleet benchmarks")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q", fleetServeEnv, v)
	}
	var accepted atomic.Int64
	eps := make([]*lab.Endpoint, n)
	for i := range eps {
		eps[i] = fleetEndpoint(fmt.Sprintf("fleet%05d", i), &accepted)
	}
	l, err := lab.Start(lab.Options{Endpoints: eps})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	hello := fleetHello{RootPEM: string(l.Env.PKI.Root.PEM())}
	for _, r := range l.Endpoints {
		hello.Addrs = append(hello.Addrs, r.Addr.String())
		hello.Names = append(hello.Names, l.Env.ServerName(r.Name))
		hello.Endpoints = append(hello.Endpoints, r.Name)
	}
	b, _ := json.Marshal(hello)
	fmt.Printf("%s%s\n", fleetHelloPrefix, b)
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if sc.Text() == "count" {
			fmt.Printf("%d\n", accepted.Load())
		}
	}
}

// fleetEndpoint is the lab's good endpoint under another name, counting
// the connections it accepts.
func fleetEndpoint(name string, accepted *atomic.Int64) *lab.Endpoint {
	return &lab.Endpoint{
		Name: name,
		Doc:  "a good endpoint of the benchmark fleet",
		Listen: func(_ *lab.Env, addr string) (net.Listener, error) {
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return nil, err
			}
			return &fleetListener{Listener: ln, n: accepted}, nil
		},
		Start: func(env *lab.Env, ln net.Listener) error {
			sn := env.ServerName(name)
			c, err := env.PKI.Issue(lab.CertSpec{CN: sn, Names: []string{sn}, Issuer: env.PKI.Inter})
			if err != nil {
				return err
			}
			env.ServeHTTPS(ln, &tls.Config{Certificates: []tls.Certificate{c.Chain(env.PKI.Inter)}}, lab.Hello(name))
			return nil
		},
	}
}

type fleetListener struct {
	net.Listener
	n *atomic.Int64
}

func (l *fleetListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}
