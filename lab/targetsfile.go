package lab

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/targets"
)

// WriteTargets writes a targets file for the running lab, trusting the lab
// root from caPath, with each endpoint's expected result as a comment. It
// is what `tlsaudit lab` prints, so other scanners and CI pipelines can be
// pointed at known-bad endpoints. Endpoints that only the lab's own DNS can
// resolve are listed as comments.
func (l *Lab) WriteTargets(w io.Writer, caPath string) error {
	var b strings.Builder
	b.WriteString(targets.Comment("", fmt.Sprintf("tlsaudit lab: %s on %s, started %s.", l.targetsCount(), l.Env.Host, l.Now.UTC().Format(time.RFC3339))))
	b.WriteString(targets.Comment("", "Scan it with: tlsaudit scan -f THIS_FILE"))
	defaults, err := targets.EncodeMapping("  ", []targets.Field{{Key: "ca", Value: caPath, Quoted: true}})
	if err != nil {
		return err
	}
	b.WriteString("defaults:\n" + defaults)
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
		b.WriteString("\n")
		b.WriteString(targets.Comment("  ", r.Doc))
		b.WriteString(targets.Comment("  ", "expect: "+expect))
		commented := needsLabDNS(t)
		if commented {
			b.WriteString(targets.Comment("  ", "(needs the lab's own DNS: only `tlsaudit demo` scans it)"))
		}
		var cert, key string
		if t.ClientCert != nil {
			if cert, key, err = l.writeClientCert(filepath.Dir(caPath)); err != nil {
				return err
			}
		}
		fields := targets.TargetFields(t, cert, key)
		item, err := targets.EncodeItem("  ", fields, commented)
		if err != nil {
			return err
		}
		b.WriteString(item)
	}
	_, err = io.WriteString(w, b.String())
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
