package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/scanner"
)

func newChecksCmd(env *environment) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "checks [ID...]",
		Short: "List the checks, or describe some in full",
		Long: `List every check with its ID, default severity and title, or, given IDs,
print each one's description, remediation and references. IDs are stable:
use them in --checks, --skip, skip_checks and accepted risks.`,
		RunE: func(_ *cobra.Command, args []string) error {
			all := checks.All()
			if len(args) > 0 {
				var picked []*scanner.Check
				for _, id := range args {
					c := checks.ByID(id)
					if c == nil {
						return usageErr("no check %q (run 'tlsaudit checks' for the list)", id)
					}
					picked = append(picked, c)
				}
				all = picked
			}
			switch {
			case format == "json":
				return writeChecksJSON(env.stdout, all)
			case format == "markdown":
				return writeChecksMarkdown(env.stdout, all)
			case format != "text":
				return usageErr("--format must be text, json or markdown")
			case len(args) > 0:
				return describeChecks(env.stdout, all)
			}
			return listChecks(env.stdout, all)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text, json or markdown")
	return cmd
}

func listChecks(w io.Writer, all []*scanner.Check) error {
	t := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Borders: tw.BorderNone, Settings: tw.Settings{Separators: tw.SeparatorsNone, Lines: tw.LinesNone}})),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	t.Header([]string{"ID", "Severity", "Title"})
	for _, c := range all {
		if err := t.Append([]string{c.ID, c.Severity.String(), c.Title}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nRun 'tlsaudit checks ID' for a check's description, remediation and references.")
	return err
}

func describeChecks(w io.Writer, all []*scanner.Check) error {
	var b strings.Builder
	for i, c := range all {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%s): %s\n\n%s\n\nRemediation: %s\n", c.ID, c.Severity, c.Title, c.Description, c.Remediation)
		if c.Scheme != "" {
			fmt.Fprintf(&b, "\nSeverity scheme: %s\n", c.Scheme)
		}
		if c.CWE != 0 {
			fmt.Fprintf(&b, "\nCWE-%d\n", c.CWE)
		}
		b.WriteString("\nReferences:\n")
		for _, r := range c.References {
			fmt.Fprintf(&b, "  %s\n", r)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// checkDoc is the JSON form of a check's metadata.
type checkDoc struct {
	ID          string   `json:"id"`
	Severity    string   `json:"severity"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Remediation string   `json:"remediation"`
	References  []string `json:"references"`
	CWE         int      `json:"cwe,omitempty"`
	Scheme      string   `json:"severity_scheme,omitempty"`
}

func writeChecksJSON(w io.Writer, all []*scanner.Check) error {
	docs := make([]checkDoc, 0, len(all))
	for _, c := range all {
		docs = append(docs, checkDoc{c.ID, c.Severity.String(), c.Title, c.Description, c.Remediation, c.References, c.CWE, c.Scheme})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(docs)
}

// writeChecksMarkdown prints the table the README carries, so the docs are
// generated from the same metadata as everything else.
func writeChecksMarkdown(w io.Writer, all []*scanner.Check) error {
	var b strings.Builder
	b.WriteString("| ID | Severity | What it finds |\n|---|---|---|\n")
	for _, c := range all {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.ID, c.Severity, c.Title)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
