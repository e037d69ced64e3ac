package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestActionPinsBySHA checks that the action does what the README asks of
// its users: every action it uses is pinned by full commit SHA with the
// tag in a comment, and setup-go's module cache, which setup-go skips for
// a go.sum outside the workspace, is off.
func TestActionPinsBySHA(t *testing.T) {
	data, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	pinned := regexp.MustCompile(`^\s*(?:- )?uses: [\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$`)
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.Contains(line, "uses:") || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		n++
		if !pinned.MatchString(line) {
			t.Errorf("not pinned by commit SHA with its tag in a comment: %s", strings.TrimSpace(line))
		}
	}
	if n == 0 {
		t.Fatal("no uses: lines found")
	}
	for _, s := range loadAction(t).Runs.Steps {
		if strings.HasPrefix(s.Uses, "actions/setup-go@") && (s.With["cache"] != "false" || s.With["cache-dependency-path"] != "") {
			t.Errorf("setup-go: with %v; want cache: false", s.With)
		}
	}
	// The workflows and examples pin every other action the same way;
	// tlsaudit's own action has no release to pin yet (the example says
	// how to pin it).
	workflows, _ := filepath.Glob(".github/workflows/*.yml")
	examples, _ := filepath.Glob("examples/*.yml")
	for _, f := range append(workflows, examples...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if !strings.Contains(line, "uses:") || strings.HasPrefix(strings.TrimSpace(line), "#") || strings.Contains(line, "uses: tlsaudit/tlsaudit@") {
				continue
			}
			if !pinned.MatchString(line) {
				t.Errorf("%s:%d: not pinned by commit SHA with its tag in a comment: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
	if len(workflows) == 0 || len(examples) == 0 {
		t.Errorf("found %d workflows and %d examples", len(workflows), len(examples))
	}
	for _, f := range []string{"README.md", "examples/github-workflow.yml"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "actions/checkout@v") {
			t.Errorf("%s uses actions/checkout by tag while it tells users to pin by SHA", f)
		}
	}
}
