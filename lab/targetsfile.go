package lab

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/targets"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// WriteTargets writes a targets file for the running lab, trusting the lab
// root from caPath, with each endpoint's expected result as a comment. It
// is what `tlsaudit lab` prints, so other scanners and CI pipelines can be
// pointed at known-bad endpoints. Endpoints that only the lab's own DNS can
// resolve are listed as comments.
func (l *Lab) WriteTargets(w io.Writer, caPath string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# tlsaudit lab: %s on %s, started %s.\n", l.targetsCount(), l.Env.Host, l.Now.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "# Scan it with: tlsaudit scan -f THIS_FILE\n")
	b.WriteString("defaults:\n")
	fmt.Fprintf(&b, "  ca: %s\n", strconv.Quote(caPath))
	b.WriteString("targets:\n")
	for _, r := range l.Endpoints {
		t := r.Target()
		expect := "no findings"
		switch {
		case r.WantError != "" && len(r.Want) > 0:
			expect = "error " + string(r.WantError) + ", and " + strings.Join(r.Want, ", ")
		case r.WantError != "":
			expect = "error " + string(r.WantError)
		case len(r.Want) > 0:
			expect = strings.Join(r.Want, ", ")
		}
		if len(r.WantUndecided) > 0 {
			expect += "; undecided: " + strings.Join(r.WantUndecided, ", ")
		}
		prefix := "  "
		fmt.Fprintf(&b, "\n  # %s\n  # expect: %s\n", r.Doc, expect)
		if needsLabDNS(t) {
			b.WriteString("  # (needs the lab's own DNS: only `tlsaudit demo` scans it)\n")
			prefix = "  # "
		}
		fmt.Fprintf(&b, "%s- name: %s\n", prefix, strconv.Quote(t.Name))
		fmt.Fprintf(&b, "%s  host: %s\n", prefix, strconv.Quote(t.Host))
		fmt.Fprintf(&b, "%s  port: %d\n", prefix, t.Port)
		fmt.Fprintf(&b, "%s  servername: %s\n", prefix, strconv.Quote(t.ServerName))
		if t.ConnectTimeout != targets.DefaultTimeout {
			fmt.Fprintf(&b, "%s  timeout: %s\n", prefix, t.ConnectTimeout)
		}
		if t.Profile != "" {
			fmt.Fprintf(&b, "%s  profile: %s\n", prefix, t.Profile)
		}
		if err := l.writeCertDepth(&b, prefix, t, caPath); err != nil {
			return err
		}
		writeHTTPSettings(&b, prefix, t)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// needsLabDNS reports whether only the lab's own resolver knows t's host,
// so the targets file lists it as a comment.
func needsLabDNS(t *scanner.Target) bool { return strings.HasSuffix(t.Host, "."+Domain) }

// targetsCount says how many endpoints the targets file lists, and how
// many more it holds as comments.
func (l *Lab) targetsCount() string {
	commented := 0
	for _, r := range l.Endpoints {
		if needsLabDNS(r.Target()) {
			commented++
		}
	}
	listed := len(l.Endpoints) - commented
	endpoints := words.Plural(listed, "endpoint", "endpoints")
	if commented == 0 {
		return fmt.Sprintf("%d %s", listed, endpoints)
	}
	return fmt.Sprintf("%d %s listed, %d more commented out (they need the lab's own DNS)", listed, endpoints, commented)
}
