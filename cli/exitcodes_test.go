package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failingWriter fails every write, as a closed pipe or a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestExitCodeOfUnwrappedErrors checks that an error a command returns
// without an exit code (its output could not be written) is a failure (3),
// while cobra's own errors (unknown command, wrong arguments) and bad
// flags stay usage errors (2).
func TestExitCodeOfUnwrappedErrors(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"checks"}, {"checks", "cert-expired"}, {"checks", "--format", "json"}} {
		var errOut bytes.Buffer
		if code := Main(args, strings.NewReader(""), failingWriter{}, &errOut); code != ExitFailure || !strings.Contains(errOut.String(), "no space left") {
			t.Errorf("%v to a failing stdout: exit %d, want %d\n%s", args, code, ExitFailure, errOut.String())
		}
	}
	for _, args := range [][]string{{"nosuch"}, {"version", "extra"}, {"lab", "extra"}, {"scan", "--nosuch"}, {"checks", "no-such-check"}} {
		if code, _, errOut := run(t, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d\n%s", args, code, ExitUsage, errOut)
		}
	}
}

// TestLabFlags checks lab's and demo's flag errors are usage errors, and
// that --dir is created when missing.
func TestLabFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"lab", "--only", "good,nosuch"}, "--only: no lab endpoint nosuch (known: "},
		{[]string{"demo", "--only", "nosuch"}, "--only: no lab endpoint nosuch"},
		{[]string{"lab", "--only", "good,good"}, "more than once"},
		{[]string{"lab", "--only", "good,expired", "--base-port", "65535"}, "--base-port must be from 1 to 65534, so that its 2 endpoints get ports up to 65535 (or 0 for free ports), not 65535"},
		{[]string{"lab", "--base-port", "-1"}, "--base-port must be from 1 to"},
	} {
		if code, _, errOut := run(t, "", c.args...); code != ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, want %d and %q\n%s", c.args, code, ExitUsage, c.want, errOut)
		}
	}

	dir := filepath.Join(t.TempDir(), "new", "ca")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // stop the lab as soon as it has written its files
	var out, errOut bytes.Buffer
	code := MainContext(ctx, []string{"lab", "--only", "good,dns-missing", "--dir", dir}, strings.NewReader(""), &out, &errOut)
	if code != ExitOK {
		t.Fatalf("lab --dir %s: exit %d\n%s", dir, code, errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "lab-root-ca.pem")); err != nil {
		t.Errorf("the CA was not written into the created folder: %v", err)
	}
	// The header counts what the file lists, and says what it comments out.
	if !strings.Contains(out.String(), "# tlsaudit lab: 1 endpoint listed, 1 more commented out (they need the lab's own DNS) on 127.0.0.1") {
		t.Errorf("targets file header:\n%s", out.String())
	}
}
