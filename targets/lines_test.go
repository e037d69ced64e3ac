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

// TestStreamedLineListRules checks the line-list rules on the streamed
// path scan uses (Open, then All reading the list again): a byte-order
// mark is no part of the first host, also when the first line's name is
// read again to confirm a duplicate; YAML under another name and an
// overlong line are errors; a name in two inputs is noted once, not again
// when All re-reads the list.
func TestStreamedLineListRules(t *testing.T) {
	p := write(t, "hosts.txt", "\ufeffexample.com\napi.example.com\n")
	src, err := Open(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if got := names(src.All()); strings.Join(got, " ") != "0:example.com:443 1:api.example.com:443" {
		t.Errorf("streamed %v", got)
	}
	if _, err := Open(write(t, "hosts.txt", "\ufeffexample.com\napi.example.com\nexample.com\n"), opts()); err == nil ||
		!strings.Contains(err.Error(), `hosts.txt:3:1: name: duplicate name "example.com:443" (also used at line 1)`) {
		t.Errorf("duplicate of a first line with a BOM: %v", err)
	}
	if _, err := Open(write(t, "fleet.txt", "defaults:\n  timeout: 5s\n"), opts()); err == nil || !strings.Contains(err.Error(), "fleet.txt:1:1: looks like a YAML targets file") {
		t.Errorf("YAML under another name: %v", err)
	}
	if _, err := Open(write(t, "hosts.txt", "a.example\n"+strings.Repeat("x", maxLine+1)+"\n"), opts()); err == nil || !strings.HasSuffix(err.Error(), "hosts.txt:2: line longer than 1024 KiB; one target per line") {
		t.Errorf("overlong line: %v", err)
	}

	o := opts()
	o.Inputs = NewInputs()
	var srcs []*Source
	for _, name := range []string{"a.txt", "b.txt"} {
		s, err := Open(write(t, name, "shared.example\n"+name+".example\n"), o)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		srcs = append(srcs, s)
	}
	for _, s := range srcs {
		for range s.All() {
		}
	}
	if len(o.Inputs.Warnings) != 1 || !strings.Contains(o.Inputs.Warnings[0], `target "shared.example:443" (`) {
		t.Errorf("warnings %q, want one for shared.example", o.Inputs.Warnings)
	}
}
