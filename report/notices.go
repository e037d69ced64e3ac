package report

// A Noticer is a Writer with something to tell the user once it is
// closed, beyond what the report itself says: a SARIF report that left
// findings out to stay within GitHub's limit. The command prints each
// notice on standard error, so the user learns it without reading the
// report.
type Noticer interface {
	Notices() []string
}

// Notices says what the SARIF report left out, once Close has run.
func (s *sarifWriter) Notices() []string { return s.notices }
