package targets

import (
	"path/filepath"
	"strings"
	"testing"
)

// checkLoadErrors loads each case's targets file (as t.yaml) and checks
// that loading fails with an error containing want.
func checkLoadErrors(t *testing.T, cases []struct{ name, yaml, want string }) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, "t.yaml", c.yaml)
			_, err := Load(p, opts())
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if got := errorText(p, err); !strings.Contains(got, c.want) {
				t.Errorf("error:\n  %s\nwant it to contain:\n  %s", got, c.want)
			}
		})
	}
}

// errorText is err's text with the folder of the file at p left out, so
// that expectations read "t.yaml:3:5: ...".
func errorText(p string, err error) string {
	return strings.ReplaceAll(err.Error(), filepath.Dir(p)+string(filepath.Separator), "")
}
