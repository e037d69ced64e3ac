package targets

import (
	"runtime"
	"strings"
	"testing"
)

// A build without zlint lists no zlint sources; a targets file naming one
// must say that this build lacks zlint, not list an empty set of choices.
func TestZlintSourcesWithoutZlint(t *testing.T) {
	_, err := zlintSources(map[string]string{}, []string{"RFC5280"})
	if err == nil || !strings.Contains(err.Error(), "has no zlint") || !strings.Contains(err.Error(), runtime.GOOS) {
		t.Fatalf("err = %v", err)
	}
	if got, err := zlintSources(map[string]string{}, []string{"all"}); err != nil || len(got) != 1 {
		t.Fatalf("all: %v %v", got, err)
	}
	if _, err := zlintSources(map[string]string{"rfc5280": "RFC5280"}, []string{"CABF"}); err == nil || !strings.Contains(err.Error(), "known: all, RFC5280") {
		t.Fatalf("unknown source: %v", err)
	}
}
