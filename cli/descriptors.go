package cli

import (
	"fmt"
	"io"

	"github.com/tlsaudit/tlsaudit/internal/fdlimit"
)

// A scan holds file descriptors beyond the sockets the scanner counts:
// each target in flight resolves its name with up to two sockets of its
// own (A and AAAA asked at once), and the process keeps some open
// throughout (standard streams, report files and their temporaries, the
// resolver's configuration, the runtime's poller). Concurrency is sized
// to fit, so that a low `ulimit -n` slows a scan down instead of failing
// healthy targets with "too many open files".
const (
	// descriptorsPerTarget is one socket of the scanner's budget plus two
	// for the target's DNS lookup.
	descriptorsPerTarget = 3
	// descriptorsPerLabTarget adds the lab's end of each connection, for
	// demo, whose endpoints run in this process.
	descriptorsPerLabTarget = descriptorsPerTarget + 1
	// descriptorReserve is kept free for files opened during the scan.
	descriptorReserve = 16
	// unlistedDescriptors stands for the descriptors open now where the
	// platform cannot list them.
	unlistedDescriptors = 32
)

// fitConcurrency returns requested, or less when the open-file limit
// cannot hold that many targets in flight at perTarget descriptors each,
// with a warning on stderr. Never less than 1: a scan that still runs out
// stops with ExitFailure (see netx.ResourceError).
func fitConcurrency(stderr io.Writer, requested, perTarget int) int {
	limit, ok := fdlimit.Limit()
	if !ok {
		return requested
	}
	open, ok := fdlimit.InUse()
	if !ok {
		open = unlistedDescriptors
	}
	fit := max(1, (limit-open-descriptorReserve)/perTarget)
	if requested <= fit {
		return requested
	}
	fmt.Fprintf(stderr, "tlsaudit: warning: concurrency lowered from %d to %d to stay within the open-file limit (%d, %d already open; each target in flight may hold %d); raise it with 'ulimit -n' for a faster scan\n",
		requested, fit, limit, open, perTarget)
	return fit
}
