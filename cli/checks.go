package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
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
use them in --checks, --skip, skip_checks and accepted risks.

zlint's lints are rules of the zlint check, with IDs zlint/NAME: list them
with 'tlsaudit checks "zlint/*"' (any glob), describe one by its ID.`,
		RunE: func(_ *cobra.Command, args []string) error {
			all := checks.All()
			var rules []scanner.Rule
			if len(args) > 0 {
				var picked []*scanner.Check
				for _, id := range args {
					if c := checks.ByID(id); c != nil {
						picked = append(picked, c)
						continue
					}
					matched := matchRules(all, id)
					if len(matched) == 0 {
						return usageErr("no check %q (run 'tlsaudit checks' for the list)", id)
					}
					rules = append(rules, matched...)
				}
				all = picked
			}
			switch {
			case format == "json":
				return writeChecksJSON(env.stdout, all, rules)
			case format == "markdown":
				return writeChecksMarkdown(env.stdout, all, rules...)
			case format != "text":
				return usageErr("--format must be text, json or markdown")
			case len(rules) > 1 && len(all) == 0:
				return listRules(env.stdout, rules)
			case len(args) > 0:
				if err := describeChecks(env.stdout, all); err != nil {
					return err
				}
				return describeRules(env.stdout, rules, len(all) > 0)
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
	families := 0
	for _, c := range all {
		id := c.ID
		if c.Rules != nil {
			id += "/*"
			families++
		}
		if err := t.Append([]string{id, c.Severity.String(), c.Title}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nRun 'tlsaudit checks ID' for a check's description, remediation and references.")
	if err == nil && families > 0 {
		_, err = fmt.Fprintln(w, "Run 'tlsaudit checks \"zlint/*\"' to list zlint's rules (a glob narrows them).")
	}
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
		if c.Rules != nil {
			fmt.Fprintf(&b, "\nRules: %d, with IDs %s/NAME ('tlsaudit checks \"%s/*\"' lists them)\n", len(c.Rules()), c.ID, c.ID)
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
	// Source and Citation are set for family rules (zlint lints).
	Source   string `json:"source,omitempty"`
	Citation string `json:"citation,omitempty"`
}

func writeChecksJSON(w io.Writer, all []*scanner.Check, rules []scanner.Rule) error {
	docs := make([]checkDoc, 0, len(all)+len(rules))
	for _, c := range all {
		docs = append(docs, checkDoc{ID: c.ID, Severity: c.Severity.String(), Title: c.Title, Description: c.Description,
			Remediation: c.Remediation, References: c.References, CWE: c.CWE, Scheme: c.Scheme})
	}
	for _, r := range rules {
		docs = append(docs, checkDoc{ID: r.ID, Severity: r.Severity.String(), Title: r.Title, Description: r.Description,
			References: r.References, Source: r.Source, Citation: r.Citation})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(docs)
}

// writeChecksMarkdown prints the table the README carries, so the docs are
// generated from the same metadata as everything else.
func writeChecksMarkdown(w io.Writer, all []*scanner.Check, rules ...scanner.Rule) error {
	var b strings.Builder
	b.WriteString("| ID | Severity | What it finds |\n|---|---|---|\n")
	for _, c := range all {
		id := c.ID
		if c.Rules != nil {
			id += "/*"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", id, c.Severity, c.Title)
	}
	for _, r := range rules {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.ID, r.Severity, strings.ReplaceAll(r.Title, "|", "\\|"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// matchRules returns the family rules whose IDs match pattern (an ID or a
// glob such as "zlint/e_*").
func matchRules(all []*scanner.Check, pattern string) []scanner.Rule {
	var out []scanner.Rule
	for _, c := range all {
		if c.Rules == nil || !strings.HasPrefix(pattern, c.ID+"/") {
			continue
		}
		for _, r := range c.Rules() {
			if ok, _ := path.Match(pattern, r.ID); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

func listRules(w io.Writer, rules []scanner.Rule) error {
	t := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Borders: tw.BorderNone, Settings: tw.Settings{Separators: tw.SeparatorsNone, Lines: tw.LinesNone}})),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	t.Header([]string{"ID", "Severity", "Source", "Title"})
	for _, r := range rules {
		if err := t.Append([]string{r.ID, r.Severity.String(), r.Source, r.Title}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d rules. zlint runs only when a target lists sources (zlint: [RFC5280]), with --zlint, or when --checks names its rules.\n", len(rules))
	return err
}

func describeRules(w io.Writer, rules []scanner.Rule, after bool) error {
	var b strings.Builder
	for i, r := range rules {
		if i > 0 || after {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%s): %s\n\n%s\n\nSource: %s; citation: %s\n", r.ID, r.Severity, r.Title, r.Description, r.Source, r.Citation)
		b.WriteString("\nReferences:\n")
		for _, ref := range r.References {
			fmt.Fprintf(&b, "  %s\n", ref)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
