package scanner

import (
	"context"
	"errors"
)

// HTTPObservation is what the plain-HTTP and HTTPS probes saw. (Issue 4
// fills this in; no check needs it yet.)
type HTTPObservation struct{}

func (s *Scanner) probeHTTP(ctx context.Context, r *Result) (*HTTPObservation, error) {
	return nil, errors.New("HTTP probing is not implemented yet")
}
