package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// progress draws a progress bar on standard error: targets done of the
// total, rate, time left and failures so far. It is nil (and its methods
// do nothing) when no bar is wanted: by default only on a terminal outside
// CI, since a bar redrawn with carriage returns garbles logs.
type progress struct {
	bar    *progressbar.ProgressBar
	failed int
}

// progressModes are the values of --progress.
var progressModes = []string{"auto", "always", "never"}

// checkBareProgress refuses "--progress never", the mode after a space:
// the flag's value is optional (a bare --progress means always), so the
// word after it would be taken as a host to scan (by scan) or refused as
// an argument nobody asked for (by demo). Read with "=", as the flag
// wants it, it could mean either, so neither is guessed.
func checkBareProgress(cmd *cobra.Command, args []string) error {
	if cmd.Flags().Lookup("progress") == nil {
		return nil
	}
	for i, a := range args {
		if a == "--" {
			break
		}
		if a == "--progress" && i+1 < len(args) && slices.Contains(progressModes, args[i+1]) {
			return usageErr("--progress %[1]s: write --progress=%[1]s (the value of --progress goes after an =; a bare --progress means always, and %[1]s would be read as an argument)", args[i+1])
		}
	}
	return nil
}

func newProgress(mode string, stderr io.Writer, total int) (*progress, error) {
	switch mode {
	case "never":
		return nil, nil
	case "always":
	case "auto", "":
		if !isTerminal(stderr) || inCI() || total == 0 {
			return nil, nil
		}
	default:
		return nil, usageErr("--progress must be auto, always or never, not %q", mode)
	}
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("scanning"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("targets"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionSetWidth(20),
	)
	return &progress{bar: bar}, nil
}

// inCI reports whether we run under a CI system: they set CI (GitHub
// Actions, GitLab, CircleCI, Travis, Buildkite, Jenkins' plugins, …).
func inCI() bool {
	return os.Getenv("CI") != "" || os.Getenv("TERM") == "dumb"
}

func (p *progress) add(r *scanner.Result) {
	if p == nil {
		return
	}
	if r.Err != nil {
		p.failed++
		p.bar.Describe(fmt.Sprintf("scanning (%d failed)", p.failed))
	}
	_ = p.bar.Add(1)
}

// finish removes the bar, so the report or summary that follows starts on
// a clean line.
func (p *progress) finish() {
	if p == nil {
		return
	}
	_ = p.bar.Finish()
	_ = p.bar.Clear()
}
