package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/report"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/netx"
	"github.com/tlsaudit/tlsaudit/targets"
)

// reportFlags are the output and gate flags scan and demo share.
type reportFlags struct {
	format      string
	output      string
	color       string
	failOn      string
	failOnGrade string
	errorsFail  bool
	minSeverity string
	progress    string
	sarif       string
	sarifRoot   string
	// baseline is scan's own (see newScanCmd); demo has none.
	baseline string
	width    int
	verbose  bool
}

func (f *reportFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "", "report format: "+strings.Join(report.Formats, ", ")+" (default: table on a terminal, json otherwise)")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to `FILE` (atomically) instead of standard output")
	fl.StringVar(&f.color, "color", "auto", "colour the table: auto, always or never (auto honours NO_COLOR)")
	intFlag(fl, &f.width, "width", 0, fmt.Sprintf("lay the table out in `COLUMNS` columns (default: the terminal's width, else $COLUMNS, else %d)", report.DefaultWidth))
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "also show in the table what is not a finding: protocols, cipher suites, chain, HTTP")
	fl.StringVar(&f.failOn, "fail-on", "high", "exit 1 when a finding is at or above this severity: critical, high, medium, low, info or none")
	fl.StringVar(&f.failOnGrade, "fail-on-grade", "", "exit 1 when a target's SSL Labs-style grade is worse than this letter (A+, A, B, C, D, E, F; T and M count as worse than F; see docs/grading.md), whatever --fail-on says")
	fl.BoolVar(&f.errorsFail, "errors-fail", true, "exit 1 when a target could not be scanned (unreachable, handshake failed) or a check at or above --fail-on could not decide, unless --fail-on none")
	fl.StringVar(&f.minSeverity, "min-severity", "info", "leave findings below this severity out of the reports, SARIF too (the gate and the summary still count them)")
	fl.StringVar(&f.sarif, "sarif", "", "also write a SARIF report to `FILE` (atomically), next to the --format report")
	fl.StringVar(&f.sarifRoot, "sarif-root", "", "make SARIF paths relative to `DIR`, the repository root (default: the working directory)")
	fl.StringVar(&f.progress, "progress", "auto", "progress bar on standard error: auto (on a terminal, not in CI), always (also --progress) or never")
	fl.Lookup("progress").NoOptDefVal = "always"
}

// scanFlags are scan's own flags.
type scanFlags struct {
	reportFlags
	files       []string
	concurrency int
	hostConns   int
	shard       string
	settings    settingFlags
	discover    string
	disc        discoverFlags
	certOnly    bool
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
  cut -d, -f1 hosts.csv | tlsaudit scan -f - --fail-on critical
  tlsaudit scan -f targets.yaml --sarif tlsaudit.sarif --baseline baseline.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScanCmd(cmd, env, &f, args)
		},
	}
	f.register(cmd)
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.files, "file", "f", nil, "read targets from `FILE` (repeatable; - for standard input)")
	intFlag(fl, &f.hostConns, "host-connections", 0, fmt.Sprintf("connections open at once to one IP address for targets of protocols other than https (mail, LDAP, databases accept slowly), 1 to %d (default %d)", targets.MaxConcurrency, scanner.DefaultHostConnections))
	intFlag(fl, &f.concurrency, "concurrency", 0, fmt.Sprintf("targets scanned at once, and sockets open at once, 1 to %d (default %d, or the file's defaults.concurrency)", targets.MaxConcurrency, scanner.DefaultConcurrency))
	f.settings.register(cmd)
	fl.BoolVar(&f.certOnly, "cert-only", false, certOnlyHelp)
	fl.StringVar(&f.shard, "shard", "", "scan only part `K/N` of the targets (1 ≤ K ≤ N), split by a hash of each target's name; see 'tlsaudit merge'")
	fl.StringVar(&f.baseline, "baseline", "", "report and gate on only the findings that are not in `REPORT`, an earlier --format json report (SARIF keeps every finding)")
	fl.StringVar(&f.discover, "discover", "", "also read the app source tree at `PATH`: scan the API hosts it names, with its pins, and report its insecure TLS code (see 'tlsaudit discover')")
	f.disc.register(cmd)
	return cmd
}

// outputs are the files a scan writes.
func (f *reportFlags) outputs() []namedPath {
	return []namedPath{{"-o", f.output}, {"--sarif", f.sarif}}
}

// inputs are the files a scan reads, named by flags.
func (f *scanFlags) inputs() []namedPath {
	in := []namedPath{{"--baseline", f.baseline}, {"--ca", f.settings.str("ca")}, {"--client-cert", f.settings.str("client-cert")},
		{"--client-key", f.settings.str("client-key")}, {"--drop-file", f.disc.dropFile}}
	for _, path := range f.files {
		in = append(in, namedPath{"-f", path})
	}
	return in
}

// runScanCmd is scan: check the arguments, read every input (targets
// files, arguments, an app's source tree) before anything is dialed,
// refuse outputs that would overwrite an input, then scan, report and
// gate (runScan).
func runScanCmd(cmd *cobra.Command, env *environment, f *scanFlags, args []string) error {
	if err := checkScanArgs(cmd, f, args); err != nil {
		return err
	}
	opts, err := targetOptions(cmd, env, f, args)
	if err != nil {
		return err
	}
	in, err := readInputs(env, f, args, opts)
	defer in.close()
	if err != nil {
		return err
	}
	if f.discover != "" {
		if err := in.discover(cmd.Context(), env, f, opts); err != nil {
			return err
		}
	}
	if err := checkOutputs(env, f, in, opts, len(args) > 0); err != nil {
		return err
	}
	concurrency := in.concurrency
	if f.concurrency > 0 {
		concurrency = f.concurrency
	}
	meta := report.Meta{TargetsFile: strings.Join(in.files, ", "), Shard: opts.Shard.String(), SourceTree: f.discover}
	err = runScan(cmd.Context(), env, &f.reportFlags, in.all(), in.total, meta, scanner.Options{Concurrency: concurrency, HostConnections: f.hostConns}, nil, in.pre...)
	for _, src := range in.sources {
		if srcErr := src.Err(); srcErr != nil && err == nil {
			err = failure(srcErr)
		}
	}
	return err
}

// checkScanArgs refuses what is wrong before any file is read: flags that
// need --discover without it, nothing to scan, --concurrency 0, and
// outputs that are named inputs.
func checkScanArgs(cmd *cobra.Command, f *scanFlags, args []string) error {
	if f.discover == "" {
		for _, name := range []string{"drop", "keep", "drop-file", "include-tests"} {
			if cmd.Flags().Changed(name) {
				return usageErr("--%s applies to --discover, which is not given", name)
			}
		}
	}
	if len(args) == 0 && len(f.files) == 0 && f.discover == "" {
		return usageErr("nothing to scan: name hosts as arguments, give a targets file with -f, or an app's source tree with --discover")
	}
	// An explicit --concurrency 0 is an error, not the default: the
	// default is what an unset flag gets.
	if cmd.Flags().Changed("concurrency") {
		if err := targets.CheckConcurrency(f.concurrency); err != nil {
			return usageErr("--concurrency: %v", err)
		}
	}
	if cmd.Flags().Changed("host-connections") {
		if err := targets.CheckConcurrency(f.hostConns); err != nil {
			return usageErr("--host-connections: %v", err)
		}
	}
	if err := refuseOverwritingInputs(f.outputs(), f.inputs()); err != nil {
		return err
	}
	return refuseRepeatedFiles(f.files)
}

// targetOptions are how every input is read: the setting flags go in as a
// layer between a file's defaults and a target's own settings (the targets
// package checks them, naming the flags, and reads the files they name
// once for the run), with the shard.
func targetOptions(cmd *cobra.Command, env *environment, f *scanFlags, args []string) (targets.Options, error) {
	opts := targets.Options{Checks: checks.All(), Stdin: env.stdin, Files: targets.NewFileCache()}
	if inputs := len(f.files) + min(len(args), 1); inputs > 1 {
		// Only then can a name repeat across inputs; a single long list
		// does not pay for the record.
		opts.Inputs = targets.NewInputs()
	}
	if err := f.settings.apply(cmd.Flags().Changed, &opts.Flags); err != nil {
		return opts, err
	}
	if f.certOnly {
		opts.Flags.SkipChecks = append(slices.Clone(opts.Flags.SkipChecks), certOnlySkips(opts.Checks)...)
	}
	if err := targets.CheckFlags(opts); err != nil {
		return opts, &exitError{ExitUsage, err}
	}
	if f.shard != "" {
		var err error
		if opts.Shard, err = targets.ParseShard(f.shard); err != nil {
			return opts, usageErr("--shard: %v", err)
		}
	}
	return opts, nil
}

// scanInputs are the targets of one scan, every input checked in full.
type scanInputs struct {
	sources []*targets.Source // the -f files, in order
	files   []string          // their names, as reports show them
	// args and discovered are the targets of the arguments and of the
	// hosts an app's source names; argTotal and discTotal count them in
	// every shard.
	args, discovered    []*scanner.Target
	argTotal, discTotal int
	// total counts the targets to scan (this shard's); concurrency is the
	// largest defaults.concurrency of the files.
	total, concurrency int
	// pre are results known before the scan: an app's code findings.
	pre []*scanner.Result
}

// readInputs checks every targets file and the arguments in full before
// anything is dialed; line lists are then read again as the scan goes, so
// a long list is never held in memory (see targets.Open).
func readInputs(env *environment, f *scanFlags, args []string, opts targets.Options) (*scanInputs, error) {
	in := &scanInputs{}
	for _, path := range f.files {
		src, err := targets.Open(path, opts)
		if err != nil {
			return in, &exitError{ExitUsage, err}
		}
		in.sources = append(in.sources, src)
		in.files = append(in.files, src.Path)
		in.total += src.Len
		in.concurrency = max(in.concurrency, src.Concurrency)
	}
	if len(args) > 0 {
		tf, err := targets.FromArgs(args, opts)
		if err != nil {
			return in, &exitError{ExitUsage, err}
		}
		in.args, in.argTotal = tf.Targets, tf.Total
		in.total += len(in.args)
	}
	warnRepeatedNames(env, opts.Inputs)
	return in, nil
}

func (in *scanInputs) close() {
	for _, src := range in.sources {
		src.Close()
	}
}

// discover reads the app source tree of --discover: its hosts become
// targets, and its code findings one result, reported by the first shard
// only, so merged shards have it once.
func (in *scanInputs) discover(ctx context.Context, env *environment, f *scanFlags, opts targets.Options) error {
	d, err := runDiscover(ctx, f.discover, &f.disc, scanner.Selection{Only: f.settings.list("checks"), Skip: f.settings.list("skip")})
	if err != nil {
		return err
	}
	opts.Inputs = nil // hosts found in source are not an input the user wrote
	if in.discovered, err = discoveredTargets(env, d, opts); err != nil {
		return &exitError{ExitUsage, err}
	}
	in.total, in.discTotal = in.total+len(in.discovered), len(d.Hosts)
	if opts.Shard.N <= 1 || opts.Shard.K == 1 {
		in.pre = append(in.pre, d.Result())
	}
	env.logf("discover: %s", discoverySummary(d))
	return nil
}

// all yields every target: files, then arguments, then discovered hosts.
// Index is the target's position among every target of every input, in
// any shard, so that `tlsaudit merge` restores the unsharded order.
func (in *scanInputs) all() iter.Seq[*scanner.Target] {
	return func(yield func(*scanner.Target) bool) {
		base := 0
		for _, src := range in.sources {
			for t := range src.All() {
				t.Index += base
				if !yield(t) {
					return
				}
			}
			base += src.Total
		}
		for _, part := range []struct {
			ts    []*scanner.Target
			total int
		}{{in.args, in.argTotal}, {in.discovered, in.discTotal}} {
			for _, t := range part.ts {
				t.Index += base
				if !yield(t) {
					return
				}
			}
			base += part.total
		}
	}
}

// checkOutputs runs once every input has been read (the CA files and
// client keys that targets files name too), before anything is dialed: no
// report may be written over any of them, or into the source tree; SARIF
// paths are checked against the SARIF root.
func checkOutputs(env *environment, f *scanFlags, in *scanInputs, opts targets.Options, args bool) error {
	read := f.inputs()
	for _, p := range opts.Files.Paths() {
		read = append(read, namedPath{"the targets file's ca/client_cert/client_key", p})
	}
	if err := refuseOverwritingInputs(f.outputs(), read); err != nil {
		return err
	}
	if f.discover != "" {
		if err := refuseWritingIntoTree(f.outputs(), f.discover); err != nil {
			return err
		}
	}
	return checkSARIFFiles(env, &f.reportFlags, in.files, args)
}

// runScan scans list (total targets), writes the report (and the --sarif
// side report) and applies the gate. It is the part of `scan` that `demo`
// shares; observe, if set, sees every result as the scanner produced it.
//
// Each result goes, in this order, through the --baseline filter (known
// findings leave the report and the gate), the summary and the gate (which
// see every other finding), and the --min-severity view the writers get.
// SARIF writers get the result before the baseline filter: code scanning
// tells new alerts from known ones itself, and a known finding left out
// of an upload would close its alert.
// pre are results known before the scan (an app's code findings): they go
// first, the same way.
func runScan(ctx context.Context, env *environment, f *reportFlags, list iter.Seq[*scanner.Target], total int, meta report.Meta, sopts scanner.Options, observe func(*scanner.Result), pre ...*scanner.Result) error {
	base, err := loadBaseline(f)
	if err != nil {
		return err
	}
	rs, err := openReports(env, f, meta, len(pre) > 0)
	if err != nil {
		return err
	}
	defer rs.abort()
	bar, err := newProgress(f.progress, env.stderr, total)
	if err != nil {
		return err
	}
	ctx, stop := interruptible(ctx, env)
	defer stop()
	handle := func(r *scanner.Result) error {
		bar.add(r)
		if observe != nil {
			observe(r)
		}
		full := r
		if base != nil {
			var known int
			r, known = base.Filter(r)
			rs.sum.BaselineKnown += known
		}
		return rs.add(r, full)
	}
	for _, r := range pre {
		if err := handle(r); err != nil {
			return failure(fmt.Errorf("write report: %w", err))
		}
	}
	sopts.Checks = checks.All()
	sopts.Concurrency = fitConcurrency(env.stderr, cmp.Or(sopts.Concurrency, scanner.DefaultConcurrency), descriptorsPerTarget)
	sopts.Ordered = report.Ordered(rs.format)
	sopts.UserAgent = "tlsaudit/" + Version()
	runErr := scanner.New(sopts).Run(ctx, list, handle)
	bar.finish()
	return finishScan(ctx, env, f, rs, base, runErr, time.Now())
}

// loadBaseline reads --baseline, if given.
func loadBaseline(f *reportFlags) (*report.Baseline, error) {
	if f.baseline == "" {
		return nil, nil
	}
	base, err := report.LoadBaseline(f.baseline)
	if err != nil {
		return nil, usageErr("--baseline: %v", err)
	}
	return base, nil
}

// openReports opens the report files (and standard output) with the
// report's header; sourceRead says the code checks ran, so the report
// lists them among the checks.
func openReports(env *environment, f *reportFlags, meta report.Meta, sourceRead bool) (*reportSetup, error) {
	rs, err := f.setup(env)
	if err != nil {
		return nil, err
	}
	all := checks.All()
	meta.Tool, meta.Version, meta.Started, meta.Checks = "tlsaudit", Version(), time.Now(), all
	if !sourceRead {
		meta.Checks = slices.DeleteFunc(slices.Clone(all), func(c *scanner.Check) bool { return c.Needs&scanner.NeedSource != 0 })
	}
	meta.SourceRoot = f.sarifRoot
	if err := rs.open(meta); err != nil {
		rs.abort()
		return nil, err
	}
	return rs, nil
}

// finishScan completes the reports of a scan that ended with runErr and
// applies the gate: the exit code.
func finishScan(ctx context.Context, env *environment, f *reportFlags, rs *reportSetup, base *report.Baseline, runErr error, finished time.Time) error {
	var outOfFiles *netx.ResourceError
	if errors.As(runErr, &outOfFiles) {
		return failure(fmt.Errorf("%w: the scan stopped before every target was judged, so the report is incomplete; this is a limit of this machine, not a finding about any target: raise the open-file limit ('ulimit -n') or lower --concurrency", runErr))
	}
	if runErr != nil {
		return failure(fmt.Errorf("write report: %w", runErr))
	}
	if err := rs.finish(env, finished, ""); err != nil {
		return err
	}
	if base != nil {
		env.logf("baseline %s: %d %s already known, left out of the report and the gate",
			f.baseline, rs.sum.BaselineKnown, words.Plural(rs.sum.BaselineKnown, "finding", "findings"))
	}
	if ctx.Err() != nil {
		fmt.Fprintln(env.stderr, "tlsaudit: interrupted: targets not finished are reported as canceled")
		return exitCode(ExitInterrupted)
	}
	return rs.gate.verdict(env)
}

// checkSARIFFiles warns when SARIF is asked for and a targets file lies
// outside the SARIF root: its alerts would point outside the repository.
// It also refuses more targets files than GitHub takes runs in one upload.
func checkSARIFFiles(env *environment, f *reportFlags, files []string, args bool) error {
	if f.format != "sarif" && f.sarif == "" {
		return nil
	}
	runs := 0
	seen := map[string]bool{}
	for _, file := range files {
		if seen[file] {
			continue
		}
		seen[file] = true
		runs++
		if file == "<stdin>" {
			continue
		}
		if _, inside := report.SARIFPath(f.sarifRoot, file); !inside {
			root := cmp.Or(f.sarifRoot, "the working directory")
			env.logf("warning: %s is outside %s; its SARIF alerts get an absolute file:// path that GitHub cannot place in the repository (set --sarif-root to the repository root)", file, root)
		}
	}
	if args {
		runs++
	}
	if runs > maxSARIFRuns {
		return usageErr("SARIF holds one run per targets file and GitHub takes at most %d runs per upload; %d targets files given", maxSARIFRuns, runs)
	}
	return nil
}

// maxSARIFRuns is GitHub's limit on runs in one SARIF upload.
const maxSARIFRuns = 20

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
// canceled; a second signal exits at once with ExitInterrupted, removing
// the reports not yet complete (env.outputs) first.
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
			// Cancel before saying so: whoever reads the message may act
			// on it (a test releases the read the run is blocked in) and
			// must find the run already stopping.
			cancel(netx.ErrInterrupted)
			fmt.Fprintln(stderr, "tlsaudit: interrupted; finishing the report (interrupt again to quit at once)")
		case <-done:
			return
		}
		select {
		case <-sigs:
			env.outputs.abortAll()
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
