package cli

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/lab"
)

func newLabCmd(env *environment) *cobra.Command {
	var host, dir, output string
	var basePort int
	var only []string
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "Serve the built-in lab of good and broken endpoints until interrupted",
		Long: `Serve the lab's endpoints on loopback until interrupted, and print a targets
file for them (with the expected result of each as a comment), the way people
use badssl.com: point tlsaudit, another scanner or a CI pipeline at known-bad
endpoints. The lab's root CA is written to --dir; the targets file trusts it.`,
		Example: `  tlsaudit lab --base-port 9400 -o lab.yaml &
  tlsaudit scan -f lab.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n, err := labEndpoints(only)
			if err != nil {
				return err
			}
			// Endpoint i listens on base-port+i: the last one must be a port.
			if last := 65535 - n + 1; basePort < 0 || basePort > last {
				return usageErr("--base-port must be from 1 to %d, so that its %d endpoints get ports up to 65535 (or 0 for free ports), not %d", last, n, basePort)
			}
			l, err := lab.Start(lab.Options{Host: host, BasePort: basePort, Only: only})
			if err != nil {
				return failure(fmt.Errorf("start lab: %w", err))
			}
			defer l.Close()
			if dir == "" {
				if dir, err = os.MkdirTemp("", "tlsaudit-lab-"); err != nil {
					return failure(err)
				}
				defer os.RemoveAll(dir)
			} else if err := os.MkdirAll(dir, 0o755); err != nil {
				return failure(fmt.Errorf("--dir: %w", err))
			}
			caPath, err := filepath.Abs(filepath.Join(dir, "lab-root-ca.pem"))
			if err != nil {
				return failure(err)
			}
			if err := os.WriteFile(caPath, l.Env.PKI.Root.PEM(), 0o644); err != nil {
				return failure(fmt.Errorf("write lab CA: %w", err))
			}
			out := env.stdout
			if output != "" {
				file, err := createAtomic(output)
				if err != nil {
					return err
				}
				if err := l.WriteTargets(file, caPath); err != nil {
					file.Abort()
					return failure(err)
				}
				if err := file.Commit(); err != nil {
					return failure(err)
				}
			} else if err := l.WriteTargets(out, caPath); err != nil {
				return failure(err)
			}
			fmt.Fprintf(env.stderr, "tlsaudit: lab: %d %s on %s, CA at %s; interrupt to stop\n", len(l.Endpoints), words.Plural(len(l.Endpoints), "endpoint", "endpoints"), l.Env.Host, caPath)
			sigs := make(chan os.Signal, 1)
			signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
			defer signal.Stop(sigs)
			select {
			case <-sigs:
			case <-cmd.Context().Done():
			}
			fmt.Fprintln(env.stderr, "tlsaudit: lab: stopped")
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&host, "host", "127.0.0.1", "address to listen on")
	intFlag(fl, &basePort, "base-port", 0, "give endpoint i the port base-port+i, so the targets file stays valid across restarts (default: free ports)")
	fl.StringVar(&dir, "dir", "", "write the lab's root CA here, creating the folder if need be (default: a temporary folder removed on exit)")
	fl.StringVarP(&output, "output", "o", "", "write the targets file to `FILE` instead of standard output")
	fl.StringSliceVar(&only, "only", nil, "serve only these lab endpoints (comma-separated names)")
	return cmd
}

// labEndpoints checks the names given to --only and returns how many
// endpoints the lab will start.
func labEndpoints(only []string) (int, error) {
	eps, err := lab.Select(only)
	if err != nil {
		return 0, usageErr("--only: %v", err)
	}
	return len(eps), nil
}
