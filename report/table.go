package report

import (
	"crypto/tls"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// tableWriter renders results grouped by target: one row per finding,
// the target's name, address and TLS version merged over its rows, and a
// summary line.
//
// Every cell is escaped (textsafe.Escape) as the table is rendered, not
// field by field as rows are built: nearly everything in it came from
// outside (a certificate subject, a server's error text, a report read
// back by merge), so no field can be forgotten. Colour is the one thing
// added after escaping.
type tableWriter struct {
	w    io.Writer
	opts Options
	rows []tableRow
}

// tableRow is one row's cells as they came, and the colour of its
// severity cell ("" for none).
type tableRow struct {
	cells [6]string
	color string
}

func newTable(w io.Writer, _ Meta, opts Options) *tableWriter {
	return &tableWriter{w: w, opts: opts}
}

const (
	colTarget = iota
	colAddress
	colTLS
	colSeverity
	colCheck
	colFinding
)

func (t *tableWriter) Write(r *scanner.Result) error {
	return t.WriteJSON(ToJSON(r, nil))
}

// WriteJSON adds the rows of one result in its wire form, which is all
// the table shows; `tlsaudit merge` renders reports read back this way.
func (t *tableWriter) WriteJSON(r ResultJSON) error {
	addr := r.Address
	if addr == "" {
		addr = "-"
	}
	version := "none"
	if r.TLS != nil {
		version = r.TLS.Version
		if r.TLS.LegacyOnly {
			version += " (legacy only)"
		}
	}
	if r.Protocol != "" && r.Protocol != string(scanner.ProtocolHTTPS) && r.Protocol != string(scanner.ProtocolTLS) {
		version += " (" + r.Protocol + ")"
	}
	row := func(sev, color, check, msg string) {
		t.rows = append(t.rows, tableRow{[6]string{r.Name, addr, version, sev, check, msg}, color})
	}
	if r.Error != nil {
		row("ERROR", colorError, r.Error.Kind, r.Error.Message)
	}
	if r.Enumeration != nil {
		row("", "", "protocols", protocolLine(r.Enumeration))
	}
	for _, f := range r.Findings {
		label, color := strings.ToUpper(f.Severity), ""
		if sev, err := scanner.ParseSeverity(f.Severity); err == nil {
			color = severityColors[sev]
		}
		msg := f.Message
		if a := f.Acceptance; a != nil {
			// Accepted findings stay visible, uncoloured, with why and
			// until when; an expired acceptance is said out loud.
			note := "accepted until " + a.Until
			if a.Status == "expired" {
				note = "acceptance expired " + a.Until
			} else {
				color = ""
			}
			msg = "[" + note + ": " + a.Reason + "] " + msg
		}
		if f.Location != nil {
			msg = f.Location.String() + ": " + msg // code findings: the line to fix
		}
		row(label, color, f.Check, msg)
	}
	for _, ce := range r.CheckErrors {
		row("UNDECIDED", colorError, ce.Check, "could not decide: "+ce.Error)
	}
	if r.Error == nil && len(r.Findings) == 0 && len(r.CheckErrors) == 0 {
		msg := "no findings"
		if t.opts.MinSeverity > scanner.Info {
			msg = "no findings at or above " + t.opts.MinSeverity.String()
		}
		row("ok", colorOK, "", msg)
	}
	return nil
}

// cells renders the rows: every cell escaped, then the severity painted.
func (t *tableWriter) cells() [][]string {
	out := make([][]string, len(t.rows))
	for i, r := range t.rows {
		cells := make([]string, len(r.cells))
		for j, c := range r.cells {
			cells[j] = textsafe.Escape(c)
		}
		cells[colSeverity] = t.paint(cells[colSeverity], r.color)
		out[i] = cells
	}
	return out
}

func (t *tableWriter) Close(s *Summary) error {
	if len(t.rows) > 0 {
		tbl := tablewriter.NewTable(t.w,
			tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleLight)})),
			tablewriter.WithConfig(tablewriter.Config{
				Header: tw.CellConfig{Formatting: tw.CellFormatting{AutoFormat: tw.On}},
				Row: tw.CellConfig{
					Merging: tw.CellMerging{
						Mode:          tw.MergeHierarchical,
						ByColumnIndex: tw.NewBoolMapper(colTarget, colAddress, colTLS),
					},
					Formatting:   tw.CellFormatting{AutoWrap: tw.WrapNormal},
					ColMaxWidths: tw.CellWidth{PerColumn: tw.NewMapper[int, int]().Set(colFinding, 72).Set(colTarget, 32)},
				},
			}),
		)
		tbl.Header([]string{"Target", "Address", "TLS", "Severity", "Check", "Finding"})
		if err := tbl.Bulk(t.cells()); err != nil {
			return err
		}
		if err := tbl.Render(); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(t.w, textsafe.Escape(s.Line()))
	return err
}

const (
	colorCritical = "1;31"
	colorHigh     = "31"
	colorMedium   = "33"
	colorLow      = "36"
	colorInfo     = "34"
	colorOK       = "32"
	colorError    = "35"
)

var severityColors = map[scanner.Severity]string{
	scanner.Critical: colorCritical,
	scanner.High:     colorHigh,
	scanner.Medium:   colorMedium,
	scanner.Low:      colorLow,
	scanner.Info:     colorInfo,
}

func (t *tableWriter) paint(s, color string) string {
	if !t.opts.Color || color == "" {
		return s
	}
	return "\x1b[" + color + "m" + s + "\x1b[0m"
}

// versionName is "TLS 1.3", and names SSL 3.0, which crypto/tls does not.
func versionName(v uint16) string {
	if v == 0x0300 {
		return "SSL 3.0"
	}
	return tls.VersionName(v)
}
