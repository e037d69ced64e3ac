package targets

import (
	"strings"
	"testing"
)

func loadLines(t *testing.T, name, content string) (*File, error) {
	t.Helper()
	if name == "-" {
		o := opts()
		o.Stdin = strings.NewReader(content)
		return Load("-", o)
	}
	return Load(write(t, name, content), opts())
}

// TestLineListBOM checks that a byte-order mark before the first host is
// not part of it.
func TestLineListBOM(t *testing.T) {
	f, err := loadLines(t, "hosts.txt", "\ufeffexample.com\napi.example.com\n")
	if err != nil || f.Targets[0].Host != "example.com" {
		t.Fatalf("%v %+v", err, f)
	}
}

// TestLineListThatIsYAML checks that a YAML targets file under another
// name is one clear error, not a scan of a host called "targets".
func TestLineListThatIsYAML(t *testing.T) {
	yaml := "# fleet\ndefaults:\n  timeout: 5s\ntargets:\n  - host: a.example\n"
	_, err := loadLines(t, "targets.txt", yaml)
	if err == nil || !strings.HasSuffix(err.Error(), "targets.txt:2:1: looks like a YAML targets file, but only names ending in .yaml or .yml are read as YAML; name it .yaml") {
		t.Errorf("file: %v", err)
	}
	_, err = loadLines(t, "-", "targets:\n  - host: a.example\n")
	if err == nil || !strings.Contains(err.Error(), "<stdin>:1:1: looks like a YAML targets file") || strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("stdin: %v", err)
	}
}

// TestLineTooLong checks that a line over the limit is an error naming
// its line.
func TestLineTooLong(t *testing.T) {
	_, err := loadLines(t, "hosts.txt", "a.example\nb.example\n"+strings.Repeat("x", maxLine+1)+"\n")
	if err == nil || !strings.HasSuffix(err.Error(), "hosts.txt:3: line longer than 1024 KiB; one target per line") {
		t.Errorf("got %v", err)
	}
}
