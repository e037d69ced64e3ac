package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/discover"
	"github.com/tlsaudit/tlsaudit/internal/clientdata"
	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/inputfile"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/targets"
)

// discoverFlags are the options of reading a source tree, shared by
// `discover` and `scan --discover`.
type discoverFlags struct {
	drop, keep   []string
	dropFile     string
	includeTests bool
	exclude      string // the targets file being written, never read as source
}

func (f *discoverFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringSliceVar(&f.drop, "drop", nil, "also drop these hosts: name, *.domain, address or CIDR prefix (comma-separated, repeatable)")
	fl.StringSliceVar(&f.keep, "keep", nil, "keep these hosts even if the drop list has them (same forms as --drop)")
	fl.StringVar(&f.dropFile, "drop-file", "", "read more drop patterns from `FILE` (one per line, !pattern keeps); "+discover.DropFileName+" at the tree's root is always read")
	fl.BoolVar(&f.includeTests, "include-tests", false, "also read test directories and files (test/, androidTest/, *Tests/, *_test.*)")
}

func (f *discoverFlags) options(sel scanner.Selection) discover.Options {
	opts := discover.Options{
		Checks: checks.All(), Selection: sel,
		Drop: f.drop, Keep: f.keep, DropFile: f.dropFile, IncludeTests: f.includeTests,
	}
	if f.exclude != "" {
		opts.Exclude = []string{f.exclude}
	}
	return opts
}

// runDiscover reads a tree, reporting a path or pattern problem as a usage
// error; it stops when ctx is done.
func runDiscover(ctx context.Context, path string, f *discoverFlags, sel scanner.Selection) (*discover.Discovery, error) {
	opts := f.options(sel)
	opts.Context = ctx
	d, err := discover.Run(path, opts)
	if ctx.Err() != nil {
		return nil, exitCode(ExitInterrupted)
	}
	if err != nil {
		if ie := (*discover.InputError)(nil); errors.As(err, &ie) {
			return nil, usageErr("%v", err)
		}
		return nil, failure(err)
	}
	return d, nil
}

func newDiscoverCmd(env *environment) *cobra.Command {
	var df discoverFlags
	var output string
	var listDrops bool
	var only, skip []string
	cmd := &cobra.Command{
		Use:   "discover [flags] PATH",
		Short: "Find an app's API hosts, pins and insecure TLS code in its source tree",
		Long: `Read an app's source tree — Flutter/Dart, Android (Kotlin, Java, XML
resources, network security config), iOS (Swift, Objective-C, Info.plist),
JavaScript/TypeScript, Go, and config files (.env, YAML, JSON, .properties,
.xcconfig) — and write a targets file with one target per host:port the app
names, each with the source lines that name it.

It honours .gitignore and skips build output, dependencies (node_modules, Pods,
vendor, ...), tests, generated, binary and large files. Hosts that are not API
hosts (localhost, private addresses, example domains, XML namespaces,
documentation links, package registries) are dropped: --list-drops prints the
list, --drop, --keep and a ` + discover.DropFileName + ` file at the tree's root change it.

Insecure TLS code (verification turned off, cleartext allowed, pins) is printed
as file:line findings on standard error; 'tlsaudit scan --discover PATH' puts
them in the report next to the scan of the hosts.

With -o FILE, an existing targets file is updated in place: each discovered
target's sources are replaced and new hosts appended; everything else you
wrote (comments, other fields and targets, order) is kept as it was.`,
		Example: `  tlsaudit discover ./app -o targets.yaml
  tlsaudit scan -f targets.yaml
  tlsaudit scan --discover ./app                # the same in one step
  tlsaudit discover --list-drops`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if listDrops {
				return writeDropList(env.stdout)
			}
			if len(args) != 1 {
				return usageErr("discover needs one PATH: the app's source tree")
			}
			all := checks.All()
			for _, p := range append(slices.Clone(only), skip...) {
				if err := scanner.ValidatePattern(p, all); err != nil {
					return usageErr("--checks/--skip: %v", err)
				}
			}
			if err := refuseDiscoverOutput(output, args[0], df.dropFile); err != nil {
				return err
			}
			df.exclude = output
			// An interrupt stops the reading with no targets file written;
			// a second one exits at once, removing the temporary file
			// (env.outputs).
			ctx, stop := interruptible(cmd.Context(), env)
			defer stop()
			// The targets file is opened (atomically) before the tree is
			// read, so a folder or an unwritable path is a usage error
			// given at once, as for scan's reports.
			var file *atomicFile
			if output != "" {
				var err error
				if file, err = env.outputs.create(output); err != nil {
					return err
				}
				defer file.Abort() // no-op after Commit
			}
			d, err := runDiscover(ctx, args[0], &df, scanner.Selection{Only: only, Skip: skip})
			if err != nil {
				return err
			}
			printCodeFindings(env.stderr, d)
			return writeDiscovered(env, d, args[0], output, file)
		},
	}
	df.register(cmd)
	fl := cmd.Flags()
	fl.StringVarP(&output, "output", "o", "", "write the targets file to `FILE` (updating it in place if it exists) instead of standard output")
	fl.BoolVar(&listDrops, "list-drops", false, "print the default drop list and exit")
	fl.StringSliceVar(&only, "checks", nil, "run only these code checks (IDs or globs, comma-separated)")
	fl.StringSliceVar(&skip, "skip", nil, "skip these code checks (IDs or globs, comma-separated)")
	return cmd
}

func writeDropList(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Hosts tlsaudit discover drops by default. Forms: name (that host), *.name\n")
	b.WriteString("# (name and every host under it), address or CIDR prefix. --keep takes one back.\n")
	for _, g := range discover.DefaultDrops {
		fmt.Fprintf(&b, "\n# %s\n", g.Why)
		for _, h := range g.Hosts {
			fmt.Fprintf(&b, "%s\n", h)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// printCodeFindings lists code findings as "file:line:col: severity
// check: message" (the form editors jump to), after the tool's prefix.
func printCodeFindings(w io.Writer, d *discover.Discovery) {
	for _, f := range d.Findings {
		fmt.Fprintf(w, "tlsaudit: %s: %s %s: %s\n", textsafe.Escape(f.Location.String()), f.Severity, f.CheckID, textsafe.Escape(f.Message))
	}
	for _, ce := range d.CheckErrors {
		fmt.Fprintf(w, "tlsaudit: warning: %s could not decide: %s\n", ce.CheckID, textsafe.Escape(ce.Err))
	}
}

// discoveredEntries turns discovered hosts into targets-file entries with
// sources relative to dir (the targets file's folder).
func discoveredEntries(d *discover.Discovery, dir string) []targets.Discovered {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		absDir = dir
	}
	rel := func(l fileloc.Location) string {
		file := filepath.FromSlash(l.File)
		if abs, err := filepath.Abs(file); err == nil {
			if r, err := filepath.Rel(absDir, abs); err == nil {
				file = r
			}
		}
		l.File = filepath.ToSlash(file)
		return targets.FormatSource(l)
	}
	var out []targets.Discovered
	for _, h := range d.Hosts {
		e := targets.Discovered{Host: h.Host, Port: h.Port, Protocol: string(h.Protocol)}
		for _, s := range h.Sources {
			e.Sources = append(e.Sources, rel(s))
		}
		if h.CleartextOnly {
			e.Notes = append(e.Notes, "the app names this host only with http://: does it serve HTTPS?")
		}
		for _, p := range h.Pins {
			e.Notes = append(e.Notes, fmt.Sprintf("the app pins keys for it (%s, %s); scan --discover compares them with the served chain", p.Kind, rel(p.Where)))
		}
		out = append(out, e)
	}
	return out
}

// writeDiscovered writes (or merges into) the targets file output, opened
// as file, and says what was found; with no output, to standard output.
func writeDiscovered(env *environment, d *discover.Discovery, root, output string, file *atomicFile) error {
	dir := "."
	if output != "" {
		dir = filepath.Dir(output)
	}
	entries := discoveredEntries(d, dir)
	var data []byte
	mergeNote := ""
	existing, err := inputfile.ReadFile(output, inputfile.TargetsCap)
	switch {
	case output != "" && err == nil:
		var st targets.MergeStats
		if data, st, err = targets.MergeDiscovered(existing, entries); err != nil {
			return failure(fmt.Errorf("%s: %w", output, err))
		}
		mergeNote = fmt.Sprintf("; %s: %d added, %d updated, %d unchanged", output, st.Added, st.Updated, st.Unchanged)
		if len(st.Stale) > 0 {
			mergeNote += fmt.Sprintf("; kept %d %s no longer found in the source: %s",
				len(st.Stale), words.Plural(len(st.Stale), "target", "targets"), strings.Join(st.Stale, ", "))
		}
	case output != "" && !errors.Is(err, fs.ErrNotExist):
		return failure(fmt.Errorf("cannot merge into the existing file: %w", err)) // err names it
	default:
		name := cmp.Or(output, "targets.yaml")
		data, err = targets.NewDiscoveredFile([]string{
			fmt.Sprintf("API hosts tlsaudit discover found in %s.", filepath.ToSlash(root)),
			"Scan them: tlsaudit scan -f " + name + "   (or in one step: tlsaudit scan --discover " + filepath.ToSlash(root) + ")",
			"sources: where the app's code names the host, as file:line from this file's folder.",
			"Running discover again with -o " + name + " updates sources and adds new hosts;",
			"everything else you write here (fields, comments, order) is kept.",
		}, entries)
		if err != nil {
			return failure(fmt.Errorf("write targets: %w", err))
		}
	}
	if output == "" {
		if _, err := env.stdout.Write(data); err != nil {
			return failure(fmt.Errorf("write targets: %w", err))
		}
	} else {
		if _, err := file.Write(data); err != nil {
			return failure(fmt.Errorf("write targets: %w", err))
		}
		if err := file.Commit(); err != nil {
			return failure(err)
		}
	}
	fmt.Fprintf(env.stderr, "tlsaudit: discover: %s%s\n", discoverySummary(d), mergeNote)
	if len(d.Hosts) == 0 {
		fmt.Fprintln(env.stderr, "tlsaudit: hint: no API hosts found; see 'tlsaudit discover --list-drops' for what is dropped, and --keep")
	}
	return nil
}

// discoverySummary is one line on what a discovery read and found.
func discoverySummary(d *discover.Discovery) string {
	st := d.Stats
	dropped := 0
	for _, hosts := range st.Dropped {
		dropped += len(hosts)
	}
	sources := 0
	for _, h := range d.Hosts {
		sources += len(h.Sources)
	}
	line := fmt.Sprintf("read %d %s in %s; %d %s (named in %d %s), %d dropped; %d code %s",
		st.Files, words.Plural(st.Files, "file", "files"), st.Duration.Round(100*time.Microsecond), len(d.Hosts), words.Plural(len(d.Hosts), "host", "hosts"),
		sources, words.Plural(sources, "place", "places"), dropped,
		len(d.Findings), words.Plural(len(d.Findings), "finding", "findings"))
	var skipped []string
	for _, s := range []struct {
		n    int
		what string
	}{{st.Ignored, "ignored by .gitignore"}, {st.SkippedDirs, words.Plural(st.SkippedDirs, "build, dependency or test folder", "build, dependency or test folders")},
		{st.TooLarge, "too large"}, {st.Binary, "binary"}, {st.Unreadable, "unreadable"}} {
		if s.n > 0 {
			skipped = append(skipped, fmt.Sprintf("%d %s", s.n, s.what))
		}
	}
	if len(skipped) > 0 {
		line += " (skipped: " + strings.Join(skipped, ", ") + ")"
	}
	var plats []string
	for _, p := range d.Platforms {
		where := textsafe.Escape(p.Source.String())
		if p.Default != "" {
			where = "Flutter's default"
		}
		plats = append(plats, p.Clients()+" ("+where+")")
	}
	if len(plats) > 0 {
		line += "; supports " + strings.Join(plats, ", ")
	}
	return line
}

// discoveredTargets turns discovered hosts into scan targets, with the
// same flags as every other target, their sources and the app's pins.
func discoveredTargets(env *environment, d *discover.Discovery, opts targets.Options) ([]*scanner.Target, error) {
	if len(d.Hosts) == 0 {
		return nil, nil
	}
	args := make([]string, len(d.Hosts))
	for i, h := range d.Hosts {
		args[i] = h.HostPort()
		if h.Protocol != "" {
			args[i] = scanner.ProtocolScheme(h.Protocol) + "://" + args[i]
		}
	}
	tf, err := targets.FromArgs(args, opts)
	if err != nil {
		return nil, err
	}
	for _, t := range tf.Targets {
		// Index is the host's position among all of them: with --shard,
		// tf.Targets holds only the shard's.
		t.Sources = d.Hosts[t.Index].Sources
		t.CodePins = d.Hosts[t.Index].Pins
		applyPlatforms(t, d)
		if env.retarget != nil {
			env.retarget(t)
		}
	}
	return tf.Targets, nil
}

// refuseDiscoverOutput is a usage error when discover's -o names a file
// the same run reads: the --drop-file, the tree's own drop or ignore files,
// or a source file of the tree (a config YAML, say), which -o would
// otherwise leave unread and then rewrite as a targets file. The one file
// of the tree -o may name is a targets file: a YAML file that is empty,
// only comments, or has `targets:` at its top level (an earlier discover
// -o wrote it). Links count, symbolic and hard.
func refuseDiscoverOutput(output, tree, dropFile string) error {
	if output == "" {
		return nil
	}
	out := []namedPath{{"-o", output}}
	if err := refuseOverwritingInputs(out, []namedPath{{"--drop-file", dropFile},
		{"the tree's", filepath.Join(tree, discover.DropFileName)},
		{"the tree's", filepath.Join(tree, ".git", "info", "exclude")}}); err != nil {
		return err
	}
	st, err := os.Stat(output)
	if err != nil || !st.Mode().IsRegular() {
		return nil // a new file, or one createAtomic judges
	}
	root, err := filepath.EvalSymlinks(tree)
	if err != nil {
		return nil // discover says why it cannot read the tree
	}
	root, _ = filepath.Abs(root)
	if !insideDir(root, resolvedOutput(output)) && !hardLinkedInto(output, root) {
		return nil
	}
	name := filepath.Base(resolvedOutput(output))
	switch {
	case name == ".gitignore":
		return usageErr("-o %s is an ignore file of the source tree %s, which discover reads; write the targets file elsewhere", output, tree)
	case discover.ReadsAsSource(name) && !isTargetsFile(output):
		return usageErr("-o %s is a source file of the tree %s, which discover reads; write the targets file elsewhere (or to a new name)", output, tree)
	}
	return nil
}

// isTargetsFile reports whether path is a YAML file discover -o may
// update: empty, only comments, or with `targets:` at its top level.
func isTargetsFile(path string) bool {
	if ext := strings.ToLower(filepath.Ext(path)); ext != ".yaml" && ext != ".yml" {
		return false
	}
	data, err := inputfile.ReadFile(path, inputfile.TargetsCap)
	if err != nil {
		return false
	}
	empty := true
	for line := range strings.Lines(string(data)) {
		if strings.HasPrefix(line, "targets:") {
			return true
		}
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			empty = false
		}
	}
	return empty
}

// applyPlatforms declares the app's minimum platforms as the clients of a
// discovered host (unless --clients declared them), with the lines that
// set them, and gives it the app's ATS policy.
func applyPlatforms(t *scanner.Target, d *discover.Discovery) {
	t.ATS = d.ATS
	if len(t.Clients) > 0 || len(d.Platforms) == 0 {
		return
	}
	specs := make([]string, len(d.Platforms))
	t.PlatformSources = map[string]fileloc.Location{}
	for i, p := range d.Platforms {
		specs[i] = p.Clients()
		t.PlatformSources[p.OS] = p.Source
	}
	t.Clients, _ = clientdata.ResolveClients(specs)
	t.ClientsSource = d.Platforms[0].Source
}
