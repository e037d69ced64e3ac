package netx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
)

// Running out of file descriptors (EMFILE, or ENFILE for the whole
// system) is this machine's failure, not the target's: a connect that
// cannot even get a socket says nothing about the endpoint. Reporting it
// as the target's error would fail a CI gate over healthy hosts, so the
// first one stops the scan instead (scanner.Run returns a *ResourceError), and the
// caller reports the tool as failed. Callers keep the scan within the
// limit in the first place by sizing Options.Concurrency to it.

// A ResourceError stops a scan: tlsaudit ran out of file descriptors, so
// targets in flight could not be judged. Err is the system's error.
type ResourceError struct {
	Err error
}

func (e *ResourceError) Error() string {
	return fmt.Sprintf("out of file descriptors on this machine (%v)", e.Err)
}

func (e *ResourceError) Unwrap() error { return e.Err }

// isLocalResource reports whether err is the system refusing a descriptor.
// The resolver's errors carry only the text of the dial error behind them
// (net.DNSError unwraps to context errors alone), so they are matched by
// that text.
func isLocalResource(err error) bool {
	for _, errno := range noDescriptors {
		if errors.Is(err, errno) {
			return true
		}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		for _, errno := range noDescriptors {
			if strings.Contains(dnsErr.Err, errno.Error()) {
				return true
			}
		}
	}
	return false
}

// localFailure classifies a local resource failure and tells the Run it
// happened under, if any, to stop.
func localFailure(ctx context.Context, err error) *ScanError {
	if stop, ok := ctx.Value(resourceStopKey{}).(func(*ResourceError)); ok {
		stop(&ResourceError{Err: err})
	}
	return &ScanError{KindLocal, fmt.Errorf("tlsaudit ran out of file descriptors on this machine, so the target could not be judged: %w", err)}
}

// resourceStopKey holds, in a Run's context, the function that stops it.
type resourceStopKey struct{}

// OnResourceFailure returns ctx with stop installed as what a local
// resource failure under it calls.
func OnResourceFailure(ctx context.Context, stop func(*ResourceError)) context.Context {
	return context.WithValue(ctx, resourceStopKey{}, stop)
}
