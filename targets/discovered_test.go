package targets

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const userFile = `# Our API hosts. Owned by the platform team.
defaults:
  timeout: 5s    # slow VPN

targets:
  # The main API: watched closely.
  - name: api
    host: good.tlsaudit.test
    tags: [prod]          # copied to reports
    sources:
      - old/file.dart:1

  - host: https://self-signed.tlsaudit.test:8443/health
    expiry_warn_days: 45

  # Not in the app any more, but we still watch it.
  - host: legacy-admin.example.net
    sources: [admin/old.js:3]

  - host: extra.example.org   # no sources: the user's own
`

var discovered = []Discovered{
	{Host: "good.tlsaudit.test", Port: 443, Sources: []string{"lib/config.dart:4", "web/src/api.js:5"}},
	{Host: "self-signed.tlsaudit.test", Port: 8443, Sources: []string{"backend/config.yaml:3"}},
	{Host: "wrong-host.tlsaudit.test", Port: 443, Sources: []string{"ios/Runner/Info.plist:8"}, Notes: []string{"a note"}},
}

// TestMergeKeepsUserEdits: a merge replaces the sources of the targets
// discovery found, adds the new host, and leaves every other byte —
// comments, alignment, blank lines, order, fields, the user's own
// targets — as the user wrote it.
func TestMergeKeepsUserEdits(t *testing.T) {
	out, st, err := MergeDiscovered([]byte(userFile), discovered)
	if err != nil {
		t.Fatal(err)
	}
	want := `# Our API hosts. Owned by the platform team.
defaults:
  timeout: 5s    # slow VPN

targets:
  # The main API: watched closely.
  - name: api
    host: good.tlsaudit.test
    tags: [prod]          # copied to reports
    sources:
      - lib/config.dart:4
      - web/src/api.js:5

  - host: https://self-signed.tlsaudit.test:8443/health
    sources:
      - backend/config.yaml:3
    expiry_warn_days: 45

  # Not in the app any more, but we still watch it.
  - host: legacy-admin.example.net
    sources: [admin/old.js:3]

  - host: extra.example.org   # no sources: the user's own

  # a note
  - host: wrong-host.tlsaudit.test
    sources:
      - ios/Runner/Info.plist:8
`
	if string(out) != want {
		t.Errorf("merged:\n%s\nwant:\n%s", out, want)
	}
	if st.Added != 1 || st.Updated != 2 || st.Unchanged != 0 || !slices.Equal(st.Stale, []string{"legacy-admin.example.net:443"}) {
		t.Errorf("stats = %+v", st)
	}
	again, st, err := MergeDiscovered(out, discovered)
	if err != nil || string(again) != string(out) || st.Unchanged != 3 || st.Added+st.Updated != 0 {
		t.Errorf("second merge is not a no-op: %+v %v\n%s", st, err, again)
	}
	// The result is a valid targets file whose sources resolve against
	// its folder.
	p := write(t, "targets.yaml", string(out))
	f, err := Load(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	good := f.Targets[0]
	if len(good.Sources) != 2 || good.Sources[1].File != filepath.ToSlash(filepath.Join(filepath.Dir(p), "web/src/api.js")) || good.Sources[1].Line != 5 {
		t.Errorf("sources = %+v", good.Sources)
	}
}

func TestMergeShapes(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"targets before another key", "targets:\n- host: a.example.net\n\n# Defaults last.\ndefaults:\n  port: 8443\n",
			"targets:\n- host: a.example.net\n\n- host: new.example.net\n  port: 443\n  sources:\n    - x.dart:1\n\n# Defaults last.\ndefaults:\n  port: 8443\n"},
		{"no targets key", "# nothing yet\ndefaults:\n  timeout: 3s\n",
			"# nothing yet\ndefaults:\n  timeout: 3s\n\ntargets:\n  - host: new.example.net\n    sources:\n      - x.dart:1\n"},
		{"comments only", "# to fill\n",
			"# to fill\ntargets:\n  - host: new.example.net\n    sources:\n      - x.dart:1\n"},
		{"flow sources replaced", "targets:\n  - host: new.example.net\n    sources: [old.js:1,\n      old.js:2]   # was\n    port: 443\n",
			"targets:\n  - host: new.example.net\n    sources:\n      - x.dart:1\n    port: 443\n"},
	}
	hosts := []Discovered{{Host: "new.example.net", Port: 443, Sources: []string{"x.dart:1"}}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, _, err := MergeDiscovered([]byte(c.in), hosts)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != c.want {
				t.Errorf("merged:\n%s\nwant:\n%s", out, c.want)
			}
		})
	}
	if _, _, err := MergeDiscovered([]byte("targets: [{host: new.example.net}]\n"), hosts); err == nil || !strings.Contains(err.Error(), "block list") {
		t.Errorf("flow targets: err = %v", err)
	}
	if _, _, err := MergeDiscovered([]byte("- a\n- b\n"), hosts); err == nil {
		t.Error("a list is not a targets file, yet the merge went ahead")
	}
}

func TestNewDiscoveredFileLoads(t *testing.T) {
	data, err := NewDiscoveredFile([]string{"made by a test"}, append(slices.Clone(discovered), Discovered{Host: "2001:db8::5", Port: 8443, Sources: []string{"a b/c #d.js:7"}}))
	if err != nil {
		t.Fatal(err)
	}
	p := write(t, "new.yaml", string(data))
	f, err := Load(p, opts())
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if len(f.Targets) != 4 || f.Targets[1].Port != 8443 || f.Targets[3].HostPort() != "[2001:db8::5]:8443" {
		t.Errorf("targets = %+v", f.Targets)
	}
	if s := f.Targets[3].Sources; len(s) != 1 || !strings.HasSuffix(s[0].File, "a b/c #d.js") || s[0].Line != 7 {
		t.Errorf("sources = %+v", s)
	}
}

func TestSourcesErrors(t *testing.T) {
	p := write(t, "t.yaml", `targets:
  - host: a.example.net
    sources:
      - lib/a.dart:3
      - lib/b.dart
      - lib/c.dart:0
      - [nested]
  - host: b.example.net
    sources: lib/d.dart:4
`)
	_, err := Load(p, opts())
	if err == nil {
		t.Fatal("loaded")
	}
	msg := err.Error()
	for _, want := range []string{
		":5:9: sources: \"lib/b.dart\" is not file:line",
		":6:9: sources: \"lib/c.dart:0\" is not file:line",
		":7:9: sources: list items must be strings",
		":9:14: sources: expected a list",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors lack %q:\n%s", want, msg)
		}
	}
}

// TestMergeDiscoveredPorts: a port in the file being merged into is read
// as the loader reads it: "+8443" is no port, so the entry matches no
// discovered host and the merge says which line is wrong.
func TestMergeDiscoveredPorts(t *testing.T) {
	hosts := []Discovered{{Host: "api.example-app.com", Port: 8443, Sources: []string{"lib/a.dart:1"}}}
	for name, file := range map[string]string{
		"entry":    "targets:\n  - host: api.example-app.com\n    port: +8443\n",
		"defaults": "defaults:\n  port: \"+8443\"\ntargets:\n  - host: api.example-app.com\n",
	} {
		out, _, err := MergeDiscovered([]byte(file), hosts)
		if err == nil || !strings.Contains(err.Error(), `port "+8443" must be a number from 1 to 65535`) || !strings.Contains(err.Error(), "line ") {
			t.Errorf("%s: error %v\n%s", name, err, out)
		}
	}
	// Written as the loader takes it, it matches.
	out, st, err := MergeDiscovered([]byte("targets:\n  - host: api.example-app.com\n    port: 8443\n"), hosts)
	if err != nil || st.Added != 0 || st.Updated != 1 {
		t.Errorf("8443: %+v %v\n%s", st, err, out)
	}
}
