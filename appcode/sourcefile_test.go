package appcode

import "testing"

func TestSourceFileLocation(t *testing.T) {
	text := "a\n// é é\nx = 'https://h'\n"
	f := newSourceFile("f.dart", "dart", text, text, text)
	for offset, want := range map[int]string{0: "f.dart:1:1", 2: "f.dart:2:1", 8: "f.dart:2:6", len(text) - 1: "f.dart:3:16"} {
		if got := f.Location(offset).String(); got != want {
			t.Errorf("Location(%d) = %s, want %s", offset, got, want)
		}
	}
	g := newSourceFile("g", "dart", "f(a[b]{c}) (]", "f(a[b]{c}) (]", "f(a[b]{c}) (]")
	if g.Close(1) != 9 || g.Close(11) != -1 {
		t.Errorf("Close = %d, %d; want 9 and -1 (brackets that do not nest)", g.Close(1), g.Close(11))
	}
}
