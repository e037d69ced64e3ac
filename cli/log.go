package cli

import (
	"fmt"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// logf prints one line on standard error, after "tlsaudit: ". The whole
// line is escaped (textsafe.Escape), not each argument: its arguments are
// so often from outside (names and kinds from merged reports, file names,
// server text) that escaping them one by one would sooner or later miss
// one. So a line logf prints is always one line.
func (env *environment) logf(format string, args ...any) {
	fmt.Fprintf(env.stderr, "tlsaudit: %s\n", textsafe.Escape(fmt.Sprintf(format, args...)))
}
