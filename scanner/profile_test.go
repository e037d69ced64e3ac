package scanner

import "testing"

func TestParseProfile(t *testing.T) {
	for in, want := range map[string]string{"": "intermediate", "Modern": "modern", " old ": "old"} {
		if got, err := ParseProfile(in); err != nil || got != want {
			t.Errorf("ParseProfile(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseProfile("paranoid"); err == nil {
		t.Error("unknown profile accepted")
	}
}
