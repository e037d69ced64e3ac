// Command fleetbench measures tlsaudit against a bed of loopback HTTPS
// endpoints and prints one table: targets per second, the rate as a ratio
// of a bare crypto/tls dial-and-handshake loop over the same endpoints in
// the same round, connections per target (counted by the servers), client
// CPU per target and the client's peak RSS, for each mode.
//
//	go build -o /tmp/tlsaudit . && go run ./bench/fleetbench -tlsaudit /tmp/tlsaudit
//	bench/speed.sh [flags]      builds tlsaudit and runs this
//
// The bed is N endpoints in this process (Go servers, each with its own
// RSA-2048 leaf from the lab's intermediate, HSTS): most speak TLS 1.3
// and TLS 1.2 with forward-secret suites, -static-rsa of them TLS 1.2
// with static-RSA key exchange only. Each mode runs as a child process
// (the raw loop is this program re-run with -raw-loop), so its CPU time
// and peak RSS are the client's alone, start-up included; the servers
// share the machine's cores with it, as they would a scan of a bed on the
// same host. Rounds run every mode one after the other, and each ratio is
// taken within its round, so noise that slows a whole round cancels out.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/tlsaudit/tlsaudit/lab"
)

// A mode is one way of scanning the bed.
type mode struct {
	name string
	// bin is the tlsaudit binary; "" means -tlsaudit.
	bin string
	// args follow `tlsaudit scan -f TARGETS --ca ROOT ...`; nil means the
	// raw loop.
	args []string
	doc  string
}

var modes = []mode{
	{"raw-handshake", "", nil, "crypto/tls dial + handshake + close, no verification, nothing recorded (static-RSA suites enabled for the connection)"},
	{"cert-only", "", []string{"--cert-only"}, "tlsaudit scan --cert-only: the certificate audit, one connection per target"},
	{"default", "", []string{}, "tlsaudit scan: every default check (enumeration, HTTP probes)"},
}

func main() {
	var (
		bin         = flag.String("tlsaudit", "", "the tlsaudit binary to measure (required)")
		n           = flag.Int("n", 500, "endpoints in the bed")
		staticRSA   = flag.Int("static-rsa", 50, "how many of them speak static-RSA key exchange only")
		rounds      = flag.Int("rounds", 3, "rounds; every mode runs once per round")
		concurrency = flag.Int("concurrency", 64, "targets scanned at once, by every mode")
		only        = flag.String("modes", "", "comma-separated modes to run (default: all): "+modeNames())
		certOnly    = flag.String("cert-only-args", "", "replace the cert-only mode's flags (space-separated), e.g. for a binary without --cert-only")
		before      = flag.String("before", "", "also measure this tlsaudit binary (an earlier build) in the same rounds, as cert-only-before and default-before; its certificate audit runs as --protocol tls --skip 'protocol-*,cipher-*,dh-*'")
		rawLoop     = flag.String("raw-loop", "", "internal: run the raw handshake loop over this targets file")
	)
	flag.Parse()
	if *rawLoop != "" {
		if err := runRawLoop(*rawLoop, *concurrency); err != nil {
			fmt.Fprintln(os.Stderr, "raw loop:", err)
			os.Exit(1)
		}
		return
	}
	if _, err := os.Stat(timeBin); err != nil {
		fmt.Fprintf(os.Stderr, "fleetbench: %s (GNU time) is needed for the peak RSS: %v\n", timeBin, err)
		os.Exit(2)
	}
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "fleetbench: -tlsaudit is required")
		os.Exit(2)
	}
	if *certOnly != "" {
		modes[1].args = strings.Fields(*certOnly)
	}
	if *before != "" {
		modes = append(modes,
			mode{"cert-only-before", *before, []string{"--protocol", "tls", "--skip", "protocol-*,cipher-*,dh-*"}, "the -before binary's certificate audit"},
			mode{"default-before", *before, []string{}, "the -before binary's default audit"})
	}
	run := modes
	if *only != "" {
		run = nil
		for _, m := range modes {
			if slices.Contains(strings.Split(*only, ","), m.name) {
				run = append(run, m)
			}
		}
	}
	if err := bench(*bin, *n, *staticRSA, *rounds, *concurrency, run); err != nil {
		fmt.Fprintln(os.Stderr, "fleetbench:", err)
		os.Exit(1)
	}
}

func modeNames() string {
	var s []string
	for _, m := range modes {
		s = append(s, m.name)
	}
	return strings.Join(s, ",")
}

// sample is one mode's run in one round.
type sample struct {
	targetsPerSec float64
	connsPerTgt   float64
	cpuPerTgt     time.Duration
	peakRSS       int64 // bytes
	errors        int
}

func bench(bin string, n, staticRSA, rounds, concurrency int, run []mode) error {
	dir, err := os.MkdirTemp("", "fleetbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(os.Stderr, "starting %d endpoints (%d static-RSA only)...\n", n, staticRSA)
	bed, err := startBed(n, staticRSA)
	if err != nil {
		return err
	}
	defer bed.lab.Close()
	targetsFile := filepath.Join(dir, "targets.txt")
	rootFile := filepath.Join(dir, "root.pem")
	if err := os.WriteFile(rootFile, bed.lab.Env.PKI.Root.PEM(), 0o644); err != nil {
		return err
	}
	var lines bytes.Buffer
	for _, r := range bed.lab.Endpoints {
		fmt.Fprintf(&lines, "%s %s\n", r.Addr, bed.lab.Env.ServerName(r.Name))
	}
	if err := os.WriteFile(targetsFile, lines.Bytes(), 0o644); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	startup, err := measureStartup(bin, dir)
	if err != nil {
		return err
	}

	samples := map[string][]sample{}
	for round := 1; round <= rounds; round++ {
		for _, m := range run {
			var cmd *exec.Cmd
			if m.args == nil {
				cmd = exec.Command(self, "-raw-loop", targetsFile, "-concurrency", fmt.Sprint(concurrency))
			} else {
				args := []string{"scan", "-f", targetsFile, "--ca", rootFile, "--format", "jsonl", "--fail-on", "none",
					"--progress=never", "--concurrency", fmt.Sprint(concurrency), "--http-port", fmt.Sprint(bed.lab.Env.ClosedPort())}
				cmd = exec.Command(cmp.Or(m.bin, bin), append(args, m.args...)...)
			}
			s, err := measure(cmd, bed, n, m.args != nil, filepath.Join(dir, "rss.txt"))
			if err != nil {
				return fmt.Errorf("%s, round %d: %w", m.name, round, err)
			}
			fmt.Fprintf(os.Stderr, "round %d %-14s %8.0f targets/s %6.2f conns/target %6.0f µs CPU/target %6.1f MiB peak RSS %d errors\n",
				round, m.name, s.targetsPerSec, s.connsPerTgt, float64(s.cpuPerTgt.Microseconds()), float64(s.peakRSS)/(1<<20), s.errors)
			samples[m.name] = append(samples[m.name], s)
		}
	}

	fmt.Printf("fleetbench %s: %d endpoints (%d static-RSA only, %d forward-secret), concurrency %d, %d rounds, %d CPUs (%s/%s), %s\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), n, staticRSA, n-staticRSA, concurrency, rounds, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Printf("tlsaudit start-up (version command, median of %d): %.1f ms wall\n\n", len(startup), median(startup)*1000)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "mode\ttargets/s\tvs raw (min–max)\tconns/target\tCPU µs/target\tpeak RSS MiB\terrors\t")
	raw := samples["raw-handshake"]
	for _, m := range run {
		ss := samples[m.name]
		ratio := "-"
		if m.name != "raw-handshake" && len(raw) == len(ss) {
			var rs []float64
			for i := range ss {
				rs = append(rs, ss[i].targetsPerSec/raw[i].targetsPerSec)
			}
			ratio = fmt.Sprintf("%.2f (%.2f–%.2f)", median(rs), slices.Min(rs), slices.Max(rs))
		}
		errs := 0
		for _, s := range ss {
			errs = max(errs, s.errors)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%.2f\t%.0f\t%.1f\t%d\t\n", m.name,
			median(col(ss, func(s sample) float64 { return s.targetsPerSec })), ratio,
			median(col(ss, func(s sample) float64 { return s.connsPerTgt })),
			median(col(ss, func(s sample) float64 { return float64(s.cpuPerTgt.Microseconds()) })),
			median(col(ss, func(s sample) float64 { return float64(s.peakRSS) / (1 << 20) })), errs)
	}
	tw.Flush()
	fmt.Println()
	for _, m := range run {
		fmt.Printf("  %-14s %s\n", m.name, m.doc)
	}
	fmt.Println("  medians over the rounds; vs raw is the median of each round's ratio to raw-handshake; CPU is the client process's (getrusage), peak RSS its own (GNU time)")
	return nil
}

// measure runs cmd once against the bed. When report is true its standard
// output is tlsaudit's JSON Lines: one result per target, and results
// with an error (the target could not be scanned) are counted.
//
// Peak RSS comes from /usr/bin/time, which forks the command: Go starts a
// child by sharing this process's memory until exec (vfork), so the
// child's own getrusage peak starts at this process's, the bed's servers
// included.
func measure(cmd *exec.Cmd, bed *bed, n int, report bool, rssFile string) (sample, error) {
	cmd.Args = append([]string{timeBin, "-f", "%M", "-o", rssFile}, cmd.Args...)
	cmd.Path = timeBin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return sample{}, err
	}
	before := bed.accepted.Load()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	results, errs := 0, 0
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		results++
		var r struct {
			Error json.RawMessage `json:"error"`
		}
		if json.Unmarshal(sc.Bytes(), &r) != nil || r.Error != nil {
			errs++
		}
	}
	_, _ = io.Copy(io.Discard, out)
	err = cmd.Wait()
	elapsed := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%v: %v\n%s", cmd.Args, err, lastLines(stderr.String(), 10))
	}
	if report && results != n {
		return sample{}, fmt.Errorf("%d results for %d targets\n%s", results, n, lastLines(stderr.String(), 10))
	}
	conns := bed.accepted.Load() - before
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	s := sample{
		targetsPerSec: float64(n) / elapsed.Seconds(),
		connsPerTgt:   float64(conns) / float64(n),
		errors:        errs,
	}
	if ru != nil {
		s.cpuPerTgt = time.Duration(ru.Utime.Nano()+ru.Stime.Nano()) / time.Duration(n)
	}
	if b, err := os.ReadFile(rssFile); err == nil {
		var kib int64
		if _, err := fmt.Sscan(string(b), &kib); err == nil {
			s.peakRSS = kib * 1024
		}
	}
	return s, nil
}

// timeBin is GNU time, which reports a command's own peak RSS.
const timeBin = "/usr/bin/time"

// measureStartup runs `tlsaudit version` a few times: the cost of starting
// the process (package initialisation included) that every scan pays once.
func measureStartup(bin, dir string) ([]float64, error) {
	var secs []float64
	for range 9 {
		cmd := exec.Command(bin, "version")
		cmd.Dir = dir
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s version: %v: %s", bin, err, out)
		}
		secs = append(secs, time.Since(start).Seconds())
	}
	return secs, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func col(ss []sample, f func(sample) float64) []float64 {
	var out []float64
	for _, s := range ss {
		out = append(out, f(s))
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// bed is the running endpoints and the count of connections they accepted.
type bed struct {
	lab      *lab.Lab
	accepted atomic.Int64
}

// staticRSASuites are what the static-RSA endpoints accept.
var staticRSASuites = []uint16{
	tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_RSA_WITH_AES_128_CBC_SHA, tls.TLS_RSA_WITH_AES_256_CBC_SHA,
}

func startBed(n, staticRSA int) (*bed, error) {
	// One RSA-2048 key for every leaf: generating 500 would take longer
	// than the benchmark, and the key's value changes nothing measured.
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	b := &bed{}
	eps := make([]*lab.Endpoint, n)
	for i := range eps {
		name := fmt.Sprintf("fleet%05d", i)
		var cfg tls.Config
		// Spread the static-RSA endpoints through the list, as in a
		// real fleet, so they do not all run at once.
		if staticRSA > 0 && i%(n/staticRSA) == 0 && i/(n/staticRSA) < staticRSA {
			name = fmt.Sprintf("rsakex%05d", i)
			cfg.MaxVersion = tls.VersionTLS12
			cfg.CipherSuites = staticRSASuites
		}
		eps[i] = &lab.Endpoint{
			Name: name,
			Doc:  "an endpoint of the benchmark bed",
			Listen: func(_ *lab.Env, addr string) (net.Listener, error) {
				ln, err := net.Listen("tcp", addr)
				if err != nil {
					return nil, err
				}
				return &countingListener{Listener: ln, n: &b.accepted}, nil
			},
			Start: func(env *lab.Env, ln net.Listener) error {
				sn := env.ServerName(name)
				c, err := env.PKI.Issue(lab.CertSpec{CN: sn, Names: []string{sn}, Issuer: env.PKI.Inter, Key: key})
				if err != nil {
					return err
				}
				cfg.Certificates = []tls.Certificate{c.Chain(env.PKI.Inter)}
				env.ServeHTTPS(ln, &cfg, lab.Hello(name))
				return nil
			},
		}
	}
	l, err := lab.Start(lab.Options{Endpoints: eps})
	if err != nil {
		return nil, err
	}
	b.lab = l
	return b, nil
}

type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// rawSuites are Go's default TLS 1.2 suites plus static-RSA key exchange,
// which Go 1.27 offers only when a config lists it.
var rawSuites = func() []uint16 {
	var ids []uint16
	for _, s := range tls.CipherSuites() {
		ids = append(ids, s.ID)
	}
	return append(ids, staticRSASuites...)
}()

// runRawLoop is the limit: dial, handshake, close, with workers
// goroutines taking targets ("address servername" lines) from file.
func runRawLoop(file string, workers int) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var next atomic.Int64
	var failed atomic.Int64
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			d := net.Dialer{Timeout: 10 * time.Second}
			for {
				i := int(next.Add(1)) - 1
				if i >= len(lines) {
					return
				}
				addr, sn, _ := strings.Cut(lines[i], " ")
				c, err := d.DialContext(context.Background(), "tcp", addr)
				if err == nil {
					tc := tls.Client(c, &tls.Config{ServerName: sn, InsecureSkipVerify: true, CipherSuites: rawSuites})
					err = tc.Handshake()
					tc.Close()
				}
				if err != nil {
					failed.Add(1)
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("%s: %w", addr, err)
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		return fmt.Errorf("%d handshakes failed; first: %v", f, firstErr)
	}
	return nil
}
