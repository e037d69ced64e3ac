package lab

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// Select returns the built-in endpoints named in only, in lab order, or
// every endpoint when only is empty. A name the lab does not have, or one
// given twice, is an error.
func Select(only []string) ([]*Endpoint, error) { return selectFrom(Endpoints(), only) }

func selectFrom(all []*Endpoint, only []string) ([]*Endpoint, error) {
	if len(only) == 0 {
		return all, nil
	}
	known := make([]string, len(all))
	for i, ep := range all {
		known[i] = ep.Name
	}
	var unknown []string
	for _, name := range only {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("no lab endpoint %s (known: %s)", textsafe.Escape(strings.Join(unknown, ", ")), strings.Join(known, ", "))
	}
	sorted := slices.Sorted(slices.Values(only))
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return nil, fmt.Errorf("%s is named more than once", textsafe.Escape(sorted[i]))
		}
	}
	return slices.DeleteFunc(slices.Clone(all), func(e *Endpoint) bool { return !slices.Contains(only, e.Name) }), nil
}
