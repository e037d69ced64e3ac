package cli

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/targets"
	"github.com/tlsaudit/tlsaudit/report"
)

func newMergeCmd(env *environment) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "merge [flags] REPORT...",
		Short: "Combine JSON and JSON Lines reports, such as the shards of a fleet scan, into one report",
		Long: `Read reports written by 'tlsaudit scan --format json' or '--format jsonl'
(- reads standard input) and write them as one report in any format, with the
results in the order an unsharded scan would give them and one summary. The
--fail-on gate applies to the merged results, so a fleet split over many jobs
with --shard K/N can be gated once, in the job that merges.

A target that appears in more than one report (overlapping shards, a report
given twice) is kept once, from the first report that has it.

` + exitCodesHelp,
		Example: `  tlsaudit merge shard-*.jsonl --format json -o fleet.json
  tlsaudit merge shard-*.json --format table --fail-on critical`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMerge(env, &f, args)
		},
	}
	f.register(cmd)
	_ = cmd.Flags().MarkHidden("progress")
	return cmd
}

// mergedResult is a result with where it came from, for messages.
type mergedResult struct {
	report.ResultJSON
	from string
}

func runMerge(env *environment, f *reportFlags, paths []string) error {
	inputs := make([]namedPath, len(paths))
	for i, p := range paths {
		inputs[i] = namedPath{"report", p}
	}
	if err := refuseOverwritingInputs(f.outputs(), inputs); err != nil {
		return err
	}
	var all []mergedResult
	var files []string
	var started, finished time.Time
	var sourceTree string
	shards := map[int][]int{} // N → the K of each report of an N-way split
	for _, path := range paths {
		rd, err := readReport(env, path)
		if err != nil {
			return &exitError{ExitUsage, fmt.Errorf("%s: %w", path, err)}
		}
		for _, r := range rd.Results {
			all = append(all, mergedResult{r, path})
			started = earliest(started, r.Started)
			finished = latest(finished, r.Started.Add(time.Duration(r.DurationMS)*time.Millisecond))
		}
		if rd.Document {
			started, finished = earliest(started, rd.Started), latest(finished, rd.Finished)
			for _, tf := range strings.Split(rd.TargetsFile, ", ") {
				if tf != "" && !slices.Contains(files, tf) {
					files = append(files, tf)
				}
			}
			// Shards of one scan read one app source tree; its hosts' SARIF
			// run is named after it.
			sourceTree = cmp.Or(sourceTree, rd.SourceTree)
			if s, err := targets.ParseShard(rd.Shard); err == nil {
				shards[s.N] = append(shards[s.N], s.K)
			}
		}
	}
	for n, ks := range shards {
		var missing []string
		for k := 1; k <= n; k++ {
			if !slices.Contains(ks, k) {
				missing = append(missing, fmt.Sprintf("%d/%d", k, n))
			}
		}
		if len(missing) > 0 {
			fmt.Fprintf(env.stderr, "tlsaudit: merge: warning: shards %s are missing; the merged report is not the whole fleet\n", strings.Join(missing, ", "))
		}
	}

	// One result per target and address, in input order: Index is the
	// position among all targets of the unsharded input.
	type key struct{ name, addr string }
	first := map[key]string{}
	kept := all[:0]
	for _, r := range all {
		k := key{r.Name, r.Address}
		if prev, dup := first[k]; dup {
			fmt.Fprintf(env.stderr, "tlsaudit: merge: %s (%s) is in %s and %s; keeping the first\n", r.Name, cmp.Or(r.Address, "unresolved"), prev, r.from)
			continue
		}
		first[k] = r.from
		kept = append(kept, r)
	}
	slices.SortStableFunc(kept, func(a, b mergedResult) int { return cmp.Compare(a.Index, b.Index) })

	rs, err := f.setup(env)
	if err != nil {
		return err
	}
	defer rs.abort()
	meta := report.Meta{Tool: "tlsaudit", Version: Version(), Started: cmp.Or(started, time.Now()),
		TargetsFile: strings.Join(files, ", "), SourceTree: sourceTree, Checks: checks.All(), SourceRoot: f.sarifRoot}
	if err := rs.open(meta); err != nil {
		return err
	}
	// The gate and the summary see every finding, as in the scans that
	// wrote the reports; --min-severity trims only what is written.
	for _, r := range kept {
		if err := rs.addJSON(r.ResultJSON); err != nil {
			return failure(fmt.Errorf("write report: %w", err))
		}
	}
	if err := rs.finish(env, cmp.Or(finished, time.Now()), fmt.Sprintf("merged %d reports: ", len(paths))); err != nil {
		return err
	}
	return rs.gate.verdict(env)
}

func readReport(env *environment, path string) (*report.Read, error) {
	if path == "-" {
		return report.ReadReport(env.stdin)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	return report.ReadReport(f)
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
