package scanner

import (
	"context"
	"errors"
)

// Enumeration is every protocol version and cipher suite the server
// accepts. (Issue 3 fills this in; no check needs it yet.)
type Enumeration struct{}

func (s *Scanner) enumerate(ctx context.Context, r *Result) (*Enumeration, error) {
	return nil, errors.New("protocol enumeration is not implemented yet")
}
