package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/lab"
	"github.com/tlsaudit/tlsaudit/report"
	"github.com/tlsaudit/tlsaudit/scanner"
)

func newDemoCmd(env *environment) *cobra.Command {
	var f reportFlags
	var only []string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Start the built-in lab of local endpoints and scan it",
		Long: `Start the lab — good and deliberately broken TLS endpoints on 127.0.0.1,
with a throwaway CA generated now — scan every endpoint, and print the report.
No network beyond loopback is used.

The demo then checks that each endpoint produced exactly the findings (or the
error) it is built to produce, and exits 0 if so, 1 if not: it doubles as a
self-test of the installed binary. The --fail-on gate does not apply.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := labEndpoints(only); err != nil {
				return err
			}
			l, err := lab.Start(lab.Options{Only: only})
			if err != nil {
				return failure(fmt.Errorf("start lab: %w", err))
			}
			defer l.Close()
			f.failOn = "none"
			results := map[string]*scanner.Result{}
			list := l.Targets()
			err = runScan(cmd.Context(), env, &f, slices.Values(list), len(list), report.Meta{TargetsFile: "(built-in lab)", ArgumentsURI: demoURI},
				scanner.Options{Resolver: l.Resolver(), Concurrency: fitConcurrency(env.stderr, scanner.DefaultConcurrency, descriptorsPerLabTarget)},
				func(r *scanner.Result) {
					if _, seen := results[r.Target.Name]; !seen { // first address of dual-stack
						results[r.Target.Name] = r
					}
				})
			if err != nil {
				return err
			}
			if err := l.Env.ResourceErr(); err != nil {
				// Endpoints that could not accept would look broken.
				return failure(fmt.Errorf("%w: this process ran out of file descriptors, so the lab's results prove nothing; raise the open-file limit ('ulimit -n')", err))
			}
			return verifyLab(env, l, results)
		},
	}
	f.register(cmd)
	cmd.Flags().MarkHidden("fail-on")
	cmd.Flags().MarkHidden("errors-fail")
	cmd.Flags().StringSliceVar(&only, "only", nil, "start only these lab endpoints (comma-separated names)")
	return cmd
}

// demoURI is the SARIF stand-in location of the lab's targets, which come
// from no file: line N is the Nth endpoint.
const demoURI = ".tlsaudit/demo"

// verifyLab compares each endpoint's result with what it is built to show.
func verifyLab(env *environment, l *lab.Lab, results map[string]*scanner.Result) error {
	var bad []string
	for _, ep := range l.Endpoints {
		r := results[ep.Name]
		if msg := lab.Mismatch(ep.Endpoint, r); msg != "" {
			bad = append(bad, ep.Name+": "+msg)
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		fmt.Fprintf(env.stderr, "tlsaudit: demo: %d of %d lab endpoints did not give their expected result:\n  %s\n",
			len(bad), len(l.Endpoints), strings.Join(bad, "\n  "))
		return exitCode(ExitFindings)
	}
	fmt.Fprintf(env.stderr, "tlsaudit: demo: all %d lab endpoints gave exactly the findings they are built to give\n", len(l.Endpoints))
	return nil
}
