package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// csvWriter writes one row per finding (and per target that could not be
// scanned or check that could not decide, with severity "error" or
// "undecided") for a spreadsheet, worst first, grouped by target.
//
// A spreadsheet runs a cell that starts with = + - or @ as a formula, and
// a certificate subject or server error can start with anything: such a
// cell gets a leading apostrophe (OWASP's advice for CSV injection), and
// every cell is escaped (textsafe.Escape) first.
type csvWriter struct {
	collector
	w io.Writer
}

func newCSV(w io.Writer, meta Meta, opts Options) *csvWriter {
	return &csvWriter{collector: newCollector(meta, opts), w: w}
}

// WriteJSON keeps what the CSV shows of r (see slim).
func (c *csvWriter) WriteJSON(r ResultJSON) error { return c.collector.WriteJSON(slim(r)) }

func (c *csvWriter) Write(r *scanner.Result) error { return c.WriteJSON(ToJSON(r, c.titles)) }

// csvHeader names the columns; a new column goes at the end.
var csvHeader = []string{"target", "host", "port", "address", "severity", "check", "title", "message", "location", "accepted"}

func (c *csvWriter) Close(*Summary) error {
	w := csv.NewWriter(c.w)
	if err := w.Write(csvHeader); err != nil {
		return err
	}
	for _, tv := range view(c.results) {
		r := tv.R
		for _, it := range tv.Items {
			row := []string{r.Name, r.Host, strconv.Itoa(r.Port), r.Address, it.Kind, it.Check, it.Title, it.Message, it.Location, strconv.FormatBool(it.Accepted)}
			if r.SourceTree != "" {
				row[1], row[2] = "", ""
			}
			for i := range row {
				row[i] = csvCell(row[i])
			}
			if err := w.Write(row); err != nil {
				return err
			}
		}
	}
	w.Flush()
	return w.Error()
}

// csvCell escapes s and defuses it as a formula.
func csvCell(s string) string {
	s = textsafe.Escape(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
