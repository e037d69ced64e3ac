package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

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
