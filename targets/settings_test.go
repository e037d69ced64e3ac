package targets

import (
	"flag"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var updateDoc = flag.Bool("update", false, "rewrite docs/targets.md from SettingsTable")

// TestSettingsTable: the table names every key the YAML decoder reads,
// once, and every setting with a flag can store its value.
func TestSettingsTable(t *testing.T) {
	var keys []string
	for k := range fieldsOf(reflect.TypeFor[Settings]()) {
		keys = append(keys, k)
	}
	var listed []string
	for _, st := range SettingsTable {
		listed = append(listed, st.Key)
		if (st.Flag == "") != (st.Kind == FlagNone) || (st.Kind != FlagNone) != (st.set != nil) {
			t.Errorf("%s: flag %q, kind %d and setter disagree", st.Key, st.Flag, st.Kind)
		}
	}
	slices.Sort(keys)
	slices.Sort(listed)
	if !slices.Equal(keys, listed) {
		t.Errorf("SettingsTable lists %v, the YAML decoder reads %v", listed, keys)
	}
	if got := flagName("expiry_warn_days"); got != "--expiry-days" {
		t.Errorf("flag of expiry_warn_days is %s", got)
	}
}

// TestSettingsDoc: docs/targets.md is what the table says.
func TestSettingsDoc(t *testing.T) {
	var b strings.Builder
	WriteSettingsDoc(&b)
	const path = "../docs/targets.md"
	if *updateDoc {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != b.String() {
		t.Errorf("%s is out of date (%v); run go test ./targets -run TestSettingsDoc -update", path, err)
	}
}
