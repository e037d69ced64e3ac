package cli

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/internal/inputfile"
	"github.com/tlsaudit/tlsaudit/internal/spill"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/report"
	"github.com/tlsaudit/tlsaudit/targets"
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

Reports come from elsewhere and are checked: a finding whose severity is
missing or unknown cannot be weighed by the gate, so its report is refused
(exit 2, with its file and line). In SARIF, a file a report names becomes an
alert's location only if it lies inside --sarif-root; any other path or URI
becomes .tlsaudit/outside-root.

` + exitCodesHelp,
		Example: `  tlsaudit merge shard-*.jsonl --format json -o fleet.json
  tlsaudit merge shard-*.json --format table --fail-on critical`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMerge(cmd.Context(), env, &f, args)
		},
	}
	f.register(cmd)
	_ = cmd.Flags().MarkHidden("progress")
	return cmd
}

// mergeEntry is what merge holds of one result until it writes it: its
// input position to sort on and where the result waits in the spill file.
type mergeEntry struct {
	index int
	rec   spill.Ref
}

// runMerge reads every report one result at a time, checking each and
// keeping it in a spill file (on disk past a few MiB), then writes them
// in input order. It holds a few dozen bytes per result (the entry and a
// digest of the name and address that finds duplicates), never the
// results, nor their names, which a report may make megabytes long: 100,000 of
// them merge in tens of MiB whatever the format. Nothing is written until
// every report has been read and checked, so a bad report is exit 2 with
// no report, as before any scan.
func runMerge(ctx context.Context, env *environment, f *reportFlags, paths []string) error {
	inputs := make([]namedPath, len(paths))
	for i, p := range paths {
		inputs[i] = namedPath{"report", p}
	}
	if err := refuseOverwritingInputs(f.outputs(), inputs); err != nil {
		return err
	}
	ctx, stop := interruptible(ctx, env)
	defer stop()
	held := spill.New(0)
	defer held.Close()
	var entries []mergeEntry
	var files []string
	var started, finished time.Time
	var sourceTree string
	shards := map[int][]int{} // N → the K of each report of an N-way split
	// One result per target and address: a target in several reports
	// (overlapping shards, a report given twice) is kept from the first.
	// The map holds a hash of the two, not them: a report may name its
	// targets with megabytes each.
	first := map[[sha256.Size]byte]int{}
	for i, path := range paths {
		rd, err := readReport(env, path, func(r report.ResultJSON, _ int) error {
			if ctx.Err() != nil {
				return errInterrupted
			}
			k := sha256.Sum256(fmt.Appendf(nil, "%d:%s%s", len(r.Name), r.Name, r.Address))
			if prev, dup := first[k]; dup {
				env.logf("merge: %s (%s) is in %s and %s; keeping the first", textsafe.Excerpt(r.Name, textsafe.ExcerptBytes),
					textsafe.Excerpt(cmp.Or(r.Address, "unresolved"), textsafe.ExcerptBytes), paths[prev], path)
				return nil
			}
			first[k] = i
			started = earliest(started, r.Started)
			finished = latest(finished, r.Started.Add(time.Duration(r.DurationMS)*time.Millisecond))
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			ref, err := held.Append(b)
			if err != nil {
				return failure(err)
			}
			entries = append(entries, mergeEntry{r.Index, ref})
			return nil
		})
		if errors.Is(err, errInterrupted) {
			return exitCode(ExitInterrupted)
		}
		var ee *exitError
		if errors.As(err, &ee) {
			return err
		}
		if err != nil {
			return &exitError{ExitUsage, fmt.Errorf("%s: %w", path, err)}
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
			env.logf("merge: warning: %s %s missing; the merged report is not the whole fleet",
				words.Plural(len(missing), "shard", "shards")+" "+strings.Join(missing, ", "), words.Plural(len(missing), "is", "are"))
		}
	}
	// Input order: Index is the position among all targets of the
	// unsharded input; a stable sort keeps report order among equals.
	slices.SortStableFunc(entries, func(a, b mergeEntry) int { return cmp.Compare(a.index, b.index) })

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
	var buf []byte
	for _, e := range entries {
		if ctx.Err() != nil {
			return exitCode(ExitInterrupted) // rs.abort removes the partial reports
		}
		b, err := held.Read(e.rec, buf)
		if err != nil {
			return failure(err)
		}
		buf = b
		var r report.ResultJSON
		if err := json.Unmarshal(b, &r); err != nil {
			return failure(err)
		}
		if err := rs.addJSON(r); err != nil {
			return failure(fmt.Errorf("write report: %w", err))
		}
	}
	if err := rs.finish(env, cmp.Or(finished, time.Now()), fmt.Sprintf("merged %d %s: ", len(paths), words.Plural(len(paths), "report", "reports"))); err != nil {
		return err
	}
	return rs.gate.verdict(env)
}

// errInterrupted stops reading reports on an interrupt.
var errInterrupted = errors.New("interrupted")

// readReport reads the report at path ("-": standard input) one result at
// a time. It is opened as any file a user names (inputfile.Open): a
// device or a directory is refused, a pipe read, a FIFO without a writer
// read as empty; ReadStream bounds each result.
func readReport(env *environment, path string, each func(report.ResultJSON, int) error) (*report.Read, error) {
	if path == "-" {
		return report.ReadStream(env.stdin, each)
	}
	f, err := inputfile.Open(path, inputfile.Streamed)
	if err != nil {
		if ie, ok := errors.AsType[*inputfile.Error](err); ok {
			return nil, ie.Err // the caller names the file
		}
		return nil, err
	}
	defer f.Close()
	return report.ReadStream(f, each)
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
