package scanner

import (
	"fmt"
	"strings"
)

// Severity ranks a finding. The zero value is "unset": a Finding with no
// severity takes its check's default.
type Severity uint8

// Severities, lowest first, so that comparisons read naturally
// (f.Severity >= failOn).
const (
	Info Severity = iota + 1
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"", "info", "low", "medium", "high", "critical"}

// Severities lists every severity from highest to lowest, the order reports
// use for summaries.
var Severities = []Severity{Critical, High, Medium, Low, Info}

func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", s)
}

// MarshalText writes the severity's lowercase name.
func (s Severity) MarshalText() ([]byte, error) {
	if s == 0 || int(s) >= len(severityNames) {
		return nil, fmt.Errorf("invalid severity %d", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a severity name, case-insensitively.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity reads "critical", "high", "medium", "low" or "info".
func ParseSeverity(name string) (Severity, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for i, sn := range severityNames {
		if i > 0 && sn == n {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want critical, high, medium, low or info)", name)
}
