package cli

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestManPage checks that the man page is made from the whole command
// tree: a subsection per command, every flag of every command, and text
// that troff reads without a warning (where groff is installed).
func TestManPage(t *testing.T) {
	code, page, errOut := run(t, "", "man")
	if code != 0 {
		t.Fatalf("man: exit %d\n%s", code, errOut)
	}
	if !strings.HasPrefix(page, ".TH TLSAUDIT 1 ") {
		t.Fatalf("no .TH header: %.80q", page)
	}
	root := newRoot(&environment{})
	root.InitDefaultCompletionCmd()
	for _, c := range manCommands(root) {
		if !strings.Contains(page, ".SS \""+c.CommandPath()+"\"\n") {
			t.Errorf("no subsection for %q", c.CommandPath())
		}
		c.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden && !strings.Contains(page, `\-\-`+f.Name+` `) && !strings.Contains(page, `\-\-`+f.Name+`\fR`) {
				t.Errorf("%s: flag --%s missing", c.CommandPath(), f.Name)
			}
		})
	}
	for _, want := range []string{`.SS "tlsaudit scan"`, `.SS "tlsaudit completion bash"`, `.SS "tlsaudit version"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for i, line := range strings.Split(page, "\n") {
		for _, r := range line {
			if r > 0x7e || (r < 0x20 && r != '\t') {
				t.Errorf("line %d: character %U would need a troff input encoding", i+1, r)
				break
			}
		}
	}
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Log("groff not installed: the page's syntax is not checked")
		return
	}
	cmd := exec.Command(groff, "-man", "-ww", "-z")
	cmd.Stdin = strings.NewReader(page)
	var warn bytes.Buffer
	cmd.Stderr = &warn
	if err := cmd.Run(); err != nil || warn.Len() > 0 {
		t.Errorf("groff: %v\n%s", err, warn.String())
	}
}

func TestRoffEscapes(t *testing.T) {
	for in, want := range map[string]string{
		`a\b`:          `a\eb`,
		"—":            `\[u2014]`,
		".TH injected": `\&.TH injected`,
		"'quote":       `\&'quote`,
	} {
		if got := roffLine(in); got != want {
			t.Errorf("roffLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, errOut := run(t, "", "completion", shell)
		if code != 0 || !strings.Contains(out, "tlsaudit") {
			t.Errorf("completion %s: exit %d, %d bytes\n%s", shell, code, len(out), errOut)
		}
	}
	// The scripts ask the binary for candidates through __complete.
	code, out, _ := run(t, "", "__complete", "scan", "--fail-o")
	if code != 0 || !strings.Contains(out, "--fail-on") {
		t.Errorf("__complete scan --fail-o: exit %d\n%s", code, out)
	}
}
