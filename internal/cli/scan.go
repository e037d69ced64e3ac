package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/targets"
	"github.com/tlsaudit/tlsaudit/report"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// reportFlags are the output and gate flags scan and demo share.
type reportFlags struct {
	format     string
	output     string
	color      string
	failOn     string
	errorsFail bool
}

func (f *reportFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "", "report format: table, json or jsonl (default: table on a terminal, json otherwise)")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to `FILE` (atomically) instead of standard output")
	fl.StringVar(&f.color, "color", "auto", "colour the table: auto, always or never (auto honours NO_COLOR)")
	fl.StringVar(&f.failOn, "fail-on", "high", "exit 1 when a finding is at or above this severity: critical, high, medium, low, info or none")
	fl.BoolVar(&f.errorsFail, "errors-fail", true, "exit 1 when a target could not be scanned (unreachable, handshake failed), unless --fail-on none")
}

// scanFlags are scan's own flags.
type scanFlags struct {
	reportFlags
	files        []string
	concurrency  int
	timeout      time.Duration
	deadline     time.Duration
	ca           string
	expiryDays   int
	checks       []string
	skip         []string
	allAddresses bool
	certDepth    certDepthFlags
	profile      string
	discover     string
	disc         discoverFlags
}

func newScanCmd(env *environment) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [flags] [host[:port] | https://host[:port]/path ...]",
		Short: "Scan TLS endpoints from a targets file or the command line",
		Long: `Scan the endpoints named on the command line, in targets files (-f; YAML
when the name ends in .yaml or .yml, else one host[:port] [servername] per
line), or on standard input (-f -).

Flags such as --timeout and --ca replace a targets file's defaults; a
target's own settings still win over them. --skip adds to every target's
skip_checks. Run 'tlsaudit checks' for the list of checks.

` + exitCodesHelp,
		Example: `  tlsaudit scan example.com api.example.com:8443
  tlsaudit scan -f targets.yaml --format json -o report.json
  cut -d, -f1 hosts.csv | tlsaudit scan -f - --fail-on critical`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScanCmd(cmd, env, &f, args)
		},
	}
	f.register(cmd)
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.files, "file", "f", nil, "read targets from `FILE` (repeatable; - for standard input)")
	fl.IntVar(&f.concurrency, "concurrency", 0, fmt.Sprintf("targets scanned at once, and sockets open at once (default %d, or the file's defaults.concurrency)", scanner.DefaultConcurrency))
	fl.DurationVar(&f.timeout, "timeout", targets.DefaultTimeout, "connect plus TLS handshake, per connection")
	fl.DurationVar(&f.deadline, "deadline", targets.DefaultDeadline, "everything done for one target")
	fl.StringVar(&f.ca, "ca", "", "trust the CA certificates in `FILE` (PEM or DER) instead of the system roots")
	fl.IntVar(&f.expiryDays, "expiry-days", targets.DefaultExpiryWarnDays, "warn when a certificate expires within this many days")
	fl.StringSliceVar(&f.checks, "checks", nil, "run only these checks (IDs or globs, comma-separated)")
	fl.StringSliceVar(&f.skip, "skip", nil, "skip these checks (IDs or globs, comma-separated)")
	fl.BoolVar(&f.allAddresses, "all-addresses", false, "scan every address a name resolves to, one result each")
	f.certDepth.register(cmd)
	fl.StringVar(&f.profile, "profile", scanner.DefaultProfile, "Mozilla TLS profile the protocol and cipher checks grade against: modern, intermediate or old")
	fl.StringVar(&f.discover, "discover", "", "also read the app source tree at `PATH`: scan the API hosts it names, with its pins, and report its insecure TLS code (see 'tlsaudit discover')")
	f.disc.register(cmd)
	return cmd
}

func runScanCmd(cmd *cobra.Command, env *environment, f *scanFlags, args []string) error {
	all := checks.All()
	if len(args) == 0 && len(f.files) == 0 && f.discover == "" {
		return usageErr("nothing to scan: name hosts as arguments, give a targets file with -f, or an app's source tree with --discover")
	}
	if f.concurrency < 0 {
		return usageErr("--concurrency must be at least 1")
	}
	opts := targets.Options{Checks: all, Stdin: env.stdin}
	changed := cmd.Flags().Changed
	if changed("timeout") {
		if f.timeout <= 0 {
			return usageErr("--timeout must be longer than zero")
		}
		d := targets.Duration(f.timeout)
		opts.Flags.Timeout = &d
	}
	if changed("deadline") {
		if f.deadline <= 0 {
			return usageErr("--deadline must be longer than zero")
		}
		d := targets.Duration(f.deadline)
		opts.Flags.Deadline = &d
	}
	if changed("expiry-days") {
		if f.expiryDays < 0 {
			return usageErr("--expiry-days must not be negative")
		}
		opts.Flags.ExpiryWarnDays = &f.expiryDays
	}
	if changed("all-addresses") {
		opts.Flags.AllAddresses = &f.allAddresses
	}
	if changed("profile") {
		p, err := scanner.ParseProfile(f.profile)
		if err != nil {
			return usageErr("--profile: %v", err)
		}
		opts.Flags.Profile = &p
	}
	if f.ca != "" {
		if _, err := targets.LoadCA(f.ca); err != nil {
			return usageErr("--ca: %v", err)
		}
		opts.Flags.CA = &f.ca
	}
	for _, p := range append(slices.Clone(f.checks), f.skip...) {
		if err := scanner.ValidatePattern(p, all); err != nil {
			return usageErr("--checks/--skip: %v", err)
		}
	}
	opts.Flags.Checks = f.checks
	opts.Flags.SkipChecks = f.skip
	if err := f.certDepth.apply(cmd, all, &opts); err != nil {
		return err
	}

	var list []*scanner.Target
	var files []string
	concurrency := 0
	for _, path := range f.files {
		tf, err := targets.Load(path, opts)
		if err != nil {
			return &exitError{ExitUsage, err}
		}
		files = append(files, tf.Path)
		list = append(list, tf.Targets...)
		concurrency = max(concurrency, tf.Concurrency)
	}
	if len(args) > 0 {
		tf, err := targets.FromArgs(args, opts)
		if err != nil {
			return &exitError{ExitUsage, err}
		}
		list = append(list, tf.Targets...)
	}
	var pre []*scanner.Result
	if f.discover != "" {
		d, err := runDiscover(f.discover, &f.disc, scanner.Selection{Only: f.checks, Skip: f.skip})
		if err != nil {
			return err
		}
		found, err := discoveredTargets(env, d, opts)
		if err != nil {
			return &exitError{ExitUsage, err}
		}
		list = append(list, found...)
		pre = append(pre, d.Result())
		fmt.Fprintf(env.stderr, "tlsaudit: discover: %s\n", discoverySummary(d))
	}
	for i, t := range list {
		t.Index = i
	}
	if f.concurrency > 0 {
		concurrency = f.concurrency
	}
	meta := report.Meta{TargetsFile: strings.Join(files, ", ")}
	if f.discover != "" {
		meta.SourceTree = f.discover
	}
	return runScan(cmd.Context(), env, &f.reportFlags, list, meta, scanner.Options{Concurrency: concurrency}, nil, pre...)
}

// runScan scans list, writes the report and applies the gate. It is the
// part of `scan` that `demo` shares; observe, if set, sees every result.
// pre are results known before the scan (an app's code findings), reported
// first and gated like the rest.
func runScan(ctx context.Context, env *environment, f *reportFlags, list []*scanner.Target, meta report.Meta, sopts scanner.Options, observe func(*scanner.Result), pre ...*scanner.Result) error {
	failOn, err := parseFailOn(f.failOn)
	if err != nil {
		return err
	}
	format := f.format
	if format == "" {
		format = "json"
		if f.output == "" && isTerminal(env.stdout) {
			format = "table"
		}
	}
	if !slices.Contains(report.Formats, format) {
		return usageErr("--format must be one of %s, not %q", strings.Join(report.Formats, ", "), format)
	}
	var out io.Writer = env.stdout
	var file *atomicFile
	if f.output != "" {
		if file, err = createAtomic(f.output); err != nil {
			return failure(err)
		}
		defer file.Abort() // no-op after Commit
		out = file
	}
	color, err := useColor(f.color, out)
	if err != nil {
		return err
	}
	all := checks.All()
	meta.Tool, meta.Version, meta.Started, meta.Checks = "tlsaudit", Version(), time.Now(), all
	if len(pre) == 0 {
		// No source was read: the code checks did not run, so the report
		// does not list them among the checks that did.
		meta.Checks = slices.DeleteFunc(slices.Clone(all), func(c *scanner.Check) bool { return c.Needs&scanner.NeedSource != 0 })
	}
	w, err := report.New(format, out, meta, report.Options{Color: color})
	if err != nil {
		return usageErr("%v", err)
	}

	ctx, stop := interruptible(ctx, env.stderr)
	defer stop()
	sopts.Checks = all
	sopts.Ordered = report.Ordered(format)
	s := scanner.New(sopts)
	sum := report.NewSummary()
	var worst scanner.Severity
	for _, r := range pre {
		sum.Add(r)
		worst = max(worst, r.MaxSeverity())
		if err := w.Write(r); err != nil {
			return failure(fmt.Errorf("write report: %w", err))
		}
	}
	runErr := s.Run(ctx, slices.Values(list), func(r *scanner.Result) error {
		sum.Add(r)
		worst = max(worst, r.MaxSeverity())
		if observe != nil {
			observe(r)
		}
		return w.Write(r)
	})
	sum.Finished = time.Now()
	if runErr != nil {
		return failure(fmt.Errorf("write report: %w", runErr))
	}
	if err := w.Close(sum); err != nil {
		return failure(fmt.Errorf("write report: %w", err))
	}
	if file != nil {
		if err := file.Commit(); err != nil {
			return failure(err)
		}
	}
	if format != "table" || out != env.stdout {
		fmt.Fprintf(env.stderr, "tlsaudit: %s\n", sum.Line())
	}
	if ctx.Err() != nil {
		fmt.Fprintln(env.stderr, "tlsaudit: interrupted: targets not finished are reported as canceled")
		return exitCode(ExitInterrupted)
	}
	if failOn != 0 && (worst >= failOn || (f.errorsFail && sum.Errors > 0)) {
		return exitCode(ExitFindings)
	}
	return nil
}

// parseFailOn reads --fail-on; "none" is 0, which never fails.
func parseFailOn(s string) (scanner.Severity, error) {
	if strings.EqualFold(s, "none") {
		return 0, nil
	}
	sev, err := scanner.ParseSeverity(s)
	if err != nil {
		return 0, usageErr("--fail-on: %v (or none)", err)
	}
	return sev, nil
}

// interruptible cancels ctx on the first SIGINT or SIGTERM, so the scan
// winds down and the report of what finished is written; a second signal
// exits at once.
func interruptible(parent context.Context, stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			fmt.Fprintln(stderr, "tlsaudit: interrupted; finishing the report (interrupt again to quit at once)")
			cancel(scanner.ErrInterrupted)
		case <-done:
			return
		}
		select {
		case <-sigs:
			os.Exit(ExitInterrupted)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}
