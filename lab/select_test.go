package lab

import (
	"strings"
	"testing"
)

// TestSelect: --only keeps lab order, and names an unknown endpoint or
// one given twice; Start refuses the same before starting anything.
func TestSelect(t *testing.T) {
	all, err := Select(nil)
	if err != nil || len(all) != len(Endpoints()) {
		t.Fatalf("Select(nil) = %d endpoints, %v", len(all), err)
	}
	eps, err := Select([]string{"expired", "good"})
	if err != nil || len(eps) != 2 || eps[0].Name != "good" || eps[1].Name != "expired" {
		t.Errorf("Select(expired, good) = %v, %v; want good, expired (lab order)", eps, err)
	}
	for only, want := range map[string]string{
		"good,nosuch": "no lab endpoint nosuch (known: good, ",
		"good,good":   "good is named more than once",
	} {
		if _, err := Select(strings.Split(only, ",")); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Select(%s): %v, want %q", only, err, want)
		}
		if l, err := Start(Options{Only: strings.Split(only, ",")}); err == nil || !strings.Contains(err.Error(), want) {
			if l != nil {
				l.Close()
			}
			t.Errorf("Start(Only: %s): %v, want %q", only, err, want)
		}
	}
}
