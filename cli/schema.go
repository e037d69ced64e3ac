package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/report"
)

func newSchemaCmd(env *environment) *cobra.Command {
	return &cobra.Command{
		Use:   "schema [json|jsonl]",
		Short: "Print the JSON Schema of the JSON (default) or JSON Lines report",
		Long: `Print the JSON Schema (draft 2020-12) of a --format json report, or of one
line of a --format jsonl report. It is generated from the types the report
writers use, and every report carries the schema_version it follows: within
a version, fields are only added, never removed or changed in meaning
(docs/json-schema.md).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			kind := "json"
			if len(args) == 1 {
				kind = args[0]
			}
			if !slices.Contains(report.SchemaKinds, kind) {
				return usageErr("no schema %q (want %s)", kind, strings.Join(report.SchemaKinds, " or "))
			}
			out, err := report.Schema(kind, false)
			if err != nil {
				return failure(err)
			}
			_, err = env.stdout.Write(out)
			return err
		},
	}
}
