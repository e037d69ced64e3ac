package cli

import (
	"context"
	"fmt"
	"io"
	"iter"
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
	progress   string
}

func (f *reportFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "", "report format: table, json or jsonl (default: table on a terminal, json otherwise)")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to `FILE` (atomically) instead of standard output")
	fl.StringVar(&f.color, "color", "auto", "colour the table: auto, always or never (auto honours NO_COLOR)")
	fl.StringVar(&f.failOn, "fail-on", "high", "exit 1 when a finding is at or above this severity: critical, high, medium, low, info or none")
	fl.BoolVar(&f.errorsFail, "errors-fail", true, "exit 1 when a target could not be scanned (unreachable, handshake failed), unless --fail-on none")
	fl.StringVar(&f.progress, "progress", "auto", "progress bar on standard error: auto (on a terminal, not in CI), always (also --progress) or never")
	fl.Lookup("progress").NoOptDefVal = "always"
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
	shard        string
	certDepth    certDepthFlags
	profile      string
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
	fl.StringVar(&f.shard, "shard", "", "scan only part `K/N` of the targets (1 ≤ K ≤ N), split by a hash of each target's name; see 'tlsaudit merge'")
	f.certDepth.register(cmd)
	fl.StringVar(&f.profile, "profile", scanner.DefaultProfile, "Mozilla TLS profile the protocol and cipher checks grade against: modern, intermediate or old")
	return cmd
}

func runScanCmd(cmd *cobra.Command, env *environment, f *scanFlags, args []string) error {
	all := checks.All()
	if len(args) == 0 && len(f.files) == 0 {
		return usageErr("nothing to scan: name hosts as arguments or give a targets file with -f")
	}
	if f.concurrency < 0 {
		return usageErr("--concurrency must be at least 1")
	}
	opts := targets.Options{Checks: all, Stdin: env.stdin}
	var err error
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
	if f.shard != "" {
		if opts.Shard, err = targets.ParseShard(f.shard); err != nil {
			return usageErr("--shard: %v", err)
		}
	}

	// Every file is checked in full before anything is dialed; line lists
	// are then read again as the scan goes, so a long list is never held
	// in memory (see targets.Open).
	var sources []*targets.Source
	defer func() {
		for _, src := range sources {
			src.Close()
		}
	}()
	var files []string
	concurrency, total := 0, 0
	for _, path := range f.files {
		src, err := targets.Open(path, opts)
		if err != nil {
			return &exitError{ExitUsage, err}
		}
		sources = append(sources, src)
		files = append(files, src.Path)
		total += src.Len
		concurrency = max(concurrency, src.Concurrency)
	}
	var argTargets []*scanner.Target
	if len(args) > 0 {
		tf, err := targets.FromArgs(args, opts)
		if err != nil {
			return &exitError{ExitUsage, err}
		}
		argTargets = tf.Targets
		total += len(argTargets)
	}
	// Index is the target's position among every target of every input,
	// in any shard, so that `tlsaudit merge` restores the unsharded order.
	list := func(yield func(*scanner.Target) bool) {
		base := 0
		for _, src := range sources {
			for t := range src.All() {
				t.Index += base
				if !yield(t) {
					return
				}
			}
			base += src.Total
		}
		for _, t := range argTargets {
			t.Index += base
			if !yield(t) {
				return
			}
		}
	}
	if f.concurrency > 0 {
		concurrency = f.concurrency
	}
	meta := report.Meta{TargetsFile: strings.Join(files, ", "), Shard: opts.Shard.String()}
	err = runScan(cmd.Context(), env, &f.reportFlags, list, total, meta, scanner.Options{Concurrency: concurrency}, nil)
	for _, src := range sources {
		if srcErr := src.Err(); srcErr != nil && err == nil {
			err = failure(srcErr)
		}
	}
	return err
}

// runScan scans list (total targets), writes the report and applies the
// gate. It is the part of `scan` that `demo` shares; observe, if set, sees
// every result.
func runScan(ctx context.Context, env *environment, f *reportFlags, list iter.Seq[*scanner.Target], total int, meta report.Meta, sopts scanner.Options, observe func(*scanner.Result)) error {
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
	w, err := report.New(format, out, meta, report.Options{Color: color})
	if err != nil {
		return usageErr("%v", err)
	}

	bar, err := newProgress(f.progress, env.stderr, total)
	if err != nil {
		return err
	}
	ctx, stop := interruptible(ctx, env)
	defer stop()
	sopts.Checks = all
	sopts.Ordered = report.Ordered(format)
	s := scanner.New(sopts)
	sum := report.NewSummary()
	var worst scanner.Severity
	runErr := s.Run(ctx, list, func(r *scanner.Result) error {
		sum.Add(r)
		worst = max(worst, r.MaxSeverity())
		bar.add(r)
		if observe != nil {
			observe(r)
		}
		return w.Write(r)
	})
	bar.finish()
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

// interruptible cancels ctx on the first SIGINT or SIGTERM (or whatever
// env.interrupts delivers, in tests), so the scan winds down and the report
// of what finished is written, with every target not finished marked
// canceled; a second signal exits at once with ExitInterrupted.
func interruptible(parent context.Context, env *environment) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs, stopSignals := env.interrupts, func() {}
	if sigs == nil {
		c := make(chan os.Signal, 2)
		signal.Notify(c, os.Interrupt, syscall.SIGTERM)
		sigs, stopSignals = c, func() { signal.Stop(c) }
	}
	exit := env.exit
	if exit == nil {
		exit = os.Exit
	}
	stderr := env.stderr
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
			exit(ExitInterrupted)
		case <-done:
		}
	}()
	return ctx, func() {
		stopSignals()
		close(done)
		cancel(nil)
	}
}
