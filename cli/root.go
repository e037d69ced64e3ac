// Package cli is tlsaudit's command line: subcommands, flags, exit codes.
//
// Output rules: reports go to standard output (or -o FILE); everything
// else — errors, hints, summaries, progress — goes to standard error with
// a "tlsaudit:" prefix, lowercase, no final period.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/internal/fdlimit"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// Exit codes. They are part of the interface CI pipelines depend on, so
// they never change meaning: a gate failure (1) is never confused with the
// tool failing (2, 3).
const (
	ExitOK          = 0   // nothing at or above --fail-on
	ExitFindings    = 1   // the gate failed: findings at or above --fail-on, unscannable targets or undecided checks
	ExitUsage       = 2   // bad flags, arguments, targets file or baseline; nothing was scanned
	ExitFailure     = 3   // the tool could not do its job (report not written, lab not started)
	ExitInterrupted = 130 // interrupted; the report holds what finished
)

const exitCodesHelp = `Exit codes:
  0    the gate passed: no finding at or above --fail-on (findings covered by
       an accepted risk in force, or already in the --baseline report, do not
       count), every target scanned, and every check at or above --fail-on
       decided
  1    the gate failed: a finding at or above --fail-on (including one whose
       accepted risk has expired), or a target that could not be scanned or a
       check at or above --fail-on that could not decide (both unless
       --errors-fail=false); --fail-on none never fails
  2    usage or input error (bad flag, targets file or baseline); nothing scanned
  3    tlsaudit itself failed (for example, a report could not be written,
       or it ran out of file descriptors)
  130  interrupted (Ctrl-C or SIGTERM); the reports hold what finished`

// exitError carries an exit code up to Main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &exitError{ExitUsage, fmt.Errorf(format, args...)}
}

func failure(err error) error { return &exitError{ExitFailure, err} }

// exitCode ends a command without an error message.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit %d", int(c)) }

// Main runs tlsaudit with args and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return MainContext(context.Background(), args, stdin, stdout, stderr)
}

// MainContext is Main under ctx: canceling it with cause
// netx.ErrInterrupted acts as Ctrl-C does.
func MainContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fdlimit.Raise() // every descriptor allowed; scans size their concurrency to it (descriptors.go)
	return execute(ctx, &environment{stdin: stdin, stdout: stdout, stderr: stderr}, args)
}

// execute runs tlsaudit in env; tests call it to set env's seams.
func execute(ctx context.Context, env *environment, args []string) int {
	root := newRoot(env)
	root.SetArgs(args)
	var err error
	if cmd, _, findErr := root.Find(args); findErr == nil {
		err = checkBareProgress(cmd, args)
	}
	if err == nil {
		err = root.ExecuteContext(ctx)
	}
	if err == nil {
		return ExitOK
	}
	var code exitCode
	if errors.As(err, &code) {
		return int(code)
	}
	var ee *exitError
	c := ExitUsage // cobra's own errors (unknown command, bad arguments); see failuresByDefault
	if errors.As(err, &ee) {
		c = ee.code
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		// Errors quote inputs (a report's bytes, a file name): escaped
		// here, where every error is printed.
		fmt.Fprintf(env.stderr, "tlsaudit: error: %s\n", textsafe.Escape(line))
	}
	if c == ExitUsage && ee == nil {
		fmt.Fprintf(env.stderr, "tlsaudit: hint: see 'tlsaudit %s --help'\n", commandPath(root, args))
	}
	return c
}

func commandPath(root *cobra.Command, args []string) string {
	if cmd, _, err := root.Find(args); err == nil && cmd != root {
		return strings.TrimPrefix(cmd.CommandPath(), root.Name()+" ")
	}
	return "help"
}

// environment is the process's streams, injectable for tests.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// interrupts, when set, replaces SIGINT and SIGTERM, and exit replaces
	// os.Exit for the second interrupt (tests).
	interrupts <-chan os.Signal
	exit       func(int)
	// retarget, a test seam, adjusts each target discovered in source
	// before it is scanned: tests point the names a sample app uses at
	// lab endpoints on loopback.
	retarget func(*scanner.Target)
	// outputs are the reports being written, which a forced exit removes.
	outputs partialFiles
}

func newRoot(env *environment) *cobra.Command {
	root := &cobra.Command{
		Use:   "tlsaudit",
		Short: "Audit TLS endpoints: certificates, trust, names, protocols and ciphers",
		Long: `tlsaudit scans TLS endpoints and reports expired or untrusted certificates,
incomplete chains, hostname mismatches and weak configurations, as a table for
people, JSON for programs, and exit codes for CI gates.

Try it without any network: 'tlsaudit demo' starts a lab of good and broken
endpoints on 127.0.0.1 and scans it.

` + exitCodesHelp,
		Version:       Version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.SetIn(env.stdin)
	// --version prints what `tlsaudit version` prints.
	root.SetVersionTemplate("tlsaudit {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v", err) })
	root.AddCommand(
		newScanCmd(env),
		newDemoCmd(env),
		newLabCmd(env),
		newChecksCmd(env),
		newSchemaCmd(env),
		newMergeCmd(env),
		newDiscoverCmd(env),
		newPinCmd(env),
		newVersionCmd(env),
		newManCmd(env),
	)
	failuresByDefault(root)
	return root
}

// failuresByDefault makes an error a command returns without an exit code
// (a report or listing that could not be written) the tool failing, exit
// 3. Cobra's own errors (unknown command, wrong arguments) are raised
// before a command runs, never through RunE, so they stay usage errors
// (2); bad flags are turned into usage errors by the flag error func.
func failuresByDefault(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		failuresByDefault(c)
	}
	run := cmd.RunE
	if run == nil {
		return
	}
	cmd.RunE = func(c *cobra.Command, args []string) error {
		err := run(c, args)
		var ee *exitError
		var code exitCode
		if err == nil || errors.As(err, &ee) || errors.As(err, &code) {
			return err
		}
		return failure(err)
	}
}

func newVersionCmd(env *environment) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(env.stdout, "tlsaudit %s\n", Version())
			return err
		},
	}
}
