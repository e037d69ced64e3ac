package targets

import (
	"fmt"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// probeRounds is how many connections a target's probes may wait on one
// after another, each within the timeout: the handshake, then the HTTPS
// request, then the plain-HTTP request (enumeration runs its connections
// side by side). A derived deadline shorter than that would cut off a slow
// target that is still within its timeouts.
const probeRounds = 3

// timeouts sets t's connect timeout and deadline from what the layers
// set. Only a value someone wrote can be wrong: when the deadline is not
// set anywhere it is derived from the timeout (scanner.DefaultDeadline, or
// probeRounds timeouts when that is longer), and when the timeout is not
// set it is scanner.DefaultConnectTimeout capped by the deadline. When both are set and
// the deadline is shorter, that is reported once, where it is written.
func (l *loader) timeouts(t *scanner.Target, eff *Settings, where map[string]layer, own, defaults layer) {
	switch {
	case eff.Timeout != nil && eff.Deadline != nil:
		t.ConnectTimeout, t.Deadline = time.Duration(*eff.Timeout), time.Duration(*eff.Deadline)
		if t.Deadline < t.ConnectTimeout {
			l.timeoutConflict(t, where["timeout"], where["deadline"], own, defaults)
		}
	case eff.Timeout != nil:
		t.ConnectTimeout = time.Duration(*eff.Timeout)
		t.Deadline = max(scanner.DefaultDeadline, probeRounds*t.ConnectTimeout)
	case eff.Deadline != nil:
		t.Deadline = time.Duration(*eff.Deadline)
		t.ConnectTimeout = min(scanner.DefaultConnectTimeout, t.Deadline)
	default:
		t.ConnectTimeout, t.Deadline = scanner.DefaultConnectTimeout, scanner.DefaultDeadline
	}
}

// timeoutConflict reports a deadline shorter than the timeout at the
// most specific place either is written (the target's own entry, then the
// file's defaults), naming where the other comes from; set by flags alone,
// it names the flags. A conflict in the defaults or flags is the same for
// every target: reported once.
func (l *loader) timeoutConflict(t *scanner.Target, tl, dl layer, own, defaults layer) {
	origin := func(ly layer, field string) string {
		switch ly.s {
		case own.s:
			return field
		case defaults.s:
			return fmt.Sprintf("defaults.%s at line %d", field, ly.pos[field].Line)
		}
		return "--" + field
	}
	var pos fileloc.Location
	var field, msg string
	switch {
	case dl.s == own.s || dl.s == defaults.s && tl.s != own.s:
		pos, field = dl.pos["deadline"], "deadline"
		msg = fmt.Sprintf("%s is shorter than the timeout %s", t.Deadline, t.ConnectTimeout)
		if tl.s != dl.s {
			msg += " (" + origin(tl, "timeout") + ")"
		}
	case tl.s == own.s || tl.s == defaults.s:
		pos, field = tl.pos["timeout"], "timeout"
		msg = fmt.Sprintf("%s is longer than the deadline %s (%s)", t.ConnectTimeout, t.Deadline, origin(dl, "deadline"))
	default:
		msg = fmt.Sprintf("--deadline %s is shorter than --timeout %s", t.Deadline, t.ConnectTimeout)
	}
	key := fmt.Sprintf("%s\x00%s\x00%s", pos, field, msg)
	if l.reported[key] {
		return
	}
	if l.reported == nil {
		l.reported = map[string]bool{}
	}
	l.reported[key] = true
	l.errs.add(pos, field, "%s", msg)
}
