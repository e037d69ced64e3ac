package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The man page is written from the command tree (the same texts and flags
// --help shows), so it cannot drift from the commands; the release build
// ships its output (`tlsaudit man > tlsaudit.1`).

func newManCmd(env *environment) *cobra.Command {
	return &cobra.Command{
		Use:   "man",
		Short: "Write the manual page (roff, section 1) to standard output",
		Long: `Write tlsaudit's manual page, made from the commands and flags --help
shows, in roff to standard output. Install it with, for example:

  tlsaudit man > /usr/local/share/man/man1/tlsaudit.1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return writeManPage(env.stdout, cmd.Root())
		},
	}
}

// writeManPage writes root's manual page: NAME, SYNOPSIS and DESCRIPTION
// from the root command, then one subsection per command (the help
// commands cobra adds left out) with its usage, text and flags.
func writeManPage(w io.Writer, root *cobra.Command) error {
	var b strings.Builder
	// The date is the build's version, not today, so the page of one
	// release is the same file wherever it is generated.
	fmt.Fprintf(&b, ".TH TLSAUDIT 1 %s %s %s\n", roffQuote("tlsaudit "+Version()), roffQuote(""), roffQuote("tlsaudit manual"))
	b.WriteString(".SH NAME\n")
	fmt.Fprintf(&b, "tlsaudit \\- %s\n", roffText(root.Short))
	b.WriteString(".SH SYNOPSIS\n")
	fmt.Fprintf(&b, ".B tlsaudit\n.I command\n[\\fIflags\\fR]\n")
	b.WriteString(".SH DESCRIPTION\n")
	writeRoffParagraphs(&b, root.Long)
	b.WriteString(".SH COMMANDS\n")
	for _, c := range manCommands(root) {
		fmt.Fprintf(&b, ".SS %s\n", roffQuote(c.CommandPath()))
		fmt.Fprintf(&b, ".B %s\n.PP\n", roffText(c.UseLine()))
		text := c.Long
		if text == "" {
			text = c.Short
		}
		writeRoffParagraphs(&b, text)
		writeRoffFlags(&b, c.NonInheritedFlags())
	}
	if flags := root.PersistentFlags(); flags.HasAvailableFlags() {
		b.WriteString(".SH GLOBAL OPTIONS\n")
		writeRoffFlags(&b, flags)
	}
	b.WriteString(".SH SEE ALSO\n")
	b.WriteString("https://github.com/tlsaudit/tlsaudit (README.md, docs/)\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// manCommands is every runnable, visible command under root, depth first
// in the order --help lists them.
func manCommands(root *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.Name() == "help" {
				continue
			}
			if sub.Runnable() {
				out = append(out, sub)
			}
			walk(sub)
		}
	}
	walk(root)
	return out
}

// writeRoffParagraphs writes help text: blank lines start paragraphs,
// indented lines (examples, lists) are kept as they are, in no-fill mode.
func writeRoffParagraphs(b *strings.Builder, text string) {
	inExample := false
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		indented := strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")
		switch {
		case strings.TrimSpace(line) == "":
			if inExample {
				b.WriteString(".fi\n")
				inExample = false
			}
			b.WriteString(".PP\n")
			continue
		case indented && !inExample:
			b.WriteString(".nf\n")
			inExample = true
		case !indented && inExample:
			b.WriteString(".fi\n")
			inExample = false
		}
		b.WriteString(roffLine(line))
		b.WriteByte('\n')
	}
	if inExample {
		b.WriteString(".fi\n")
	}
}

func writeRoffFlags(b *strings.Builder, flags *pflag.FlagSet) {
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name := "\\-\\-" + roffText(f.Name)
		if f.Shorthand != "" {
			name = "\\-" + roffText(f.Shorthand) + ", " + name
		}
		if typ, _ := pflag.UnquoteUsage(f); typ != "" {
			name += " \\fI" + roffText(typ) + "\\fR"
		}
		b.WriteString(".TP\n\\fB" + name + "\\fR\n")
		usage := f.Usage
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" && f.DefValue != "0" {
			usage += " (default " + f.DefValue + ")"
		}
		b.WriteString(roffLine(usage))
		b.WriteByte('\n')
	})
}

// roffText escapes text for roff: a backslash is \e, and a character
// outside ASCII a \[uXXXX] escape, which every troff reads whatever its
// input encoding. Hyphens are left as they are (roff's minus sign is for
// options only).
func roffText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\e`)
		case r > 0x7e:
			fmt.Fprintf(&b, `\[u%04X]`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// roffLine escapes one line of text: a line starting with a dot or an
// apostrophe would be a request, so it is prefixed by the zero-width \&.
func roffLine(s string) string {
	s = roffText(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// roffQuote makes s one argument of a request.
func roffQuote(s string) string { return `"` + strings.ReplaceAll(roffText(s), `"`, `""`) + `"` }
