package report

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// jsonlWriter writes one result per line as each target finishes.
type jsonlWriter struct {
	enc    *json.Encoder
	w      *bufio.Writer
	titles map[string]string
}

// LineJSON is one line of JSON Lines output.
type LineJSON struct {
	SchemaVersion string `json:"schema_version"`
	ResultJSON
}

func newJSONL(w io.Writer, meta Meta) *jsonlWriter {
	bw := bufio.NewWriter(w)
	return &jsonlWriter{enc: json.NewEncoder(bw), w: bw, titles: titlesOf(meta.Checks)}
}

func (j *jsonlWriter) Write(r *scanner.Result) error {
	return j.WriteJSON(ToJSON(r, j.titles))
}

// WriteJSON adds one result in its wire form.
func (j *jsonlWriter) WriteJSON(r ResultJSON) error {
	if err := j.enc.Encode(LineJSON{SchemaVersion, r}); err != nil {
		return err
	}
	// Flush per line: JSON Lines is for following a long scan as it runs.
	return j.w.Flush()
}

func (j *jsonlWriter) Close(*Summary) error { return j.w.Flush() }
