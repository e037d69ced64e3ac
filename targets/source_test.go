package targets

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/scanner"
)

func names(seq func(func(*scanner.Target) bool)) []string {
	var out []string
	for t := range seq {
		out = append(out, fmt.Sprintf("%d:%s", t.Index, t.Name))
	}
	return out
}

// TestOpenStreamsWhatLoadLoads checks that a streamed line list yields
// the same targets, in the same order, as loading it whole.
func TestOpenStreamsWhatLoadLoads(t *testing.T) {
	p := write(t, "hosts.txt", "# fleet\nexample.com\napi.example.com:8443\n\n[2001:db8::1]:443\n192.0.2.7 www.example.com\n")
	f, err := Load(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	src, err := Open(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	want := names(slices.Values(f.Targets))
	if got := names(src.All()); !slices.Equal(got, want) {
		t.Errorf("streamed %v\nloaded   %v", got, want)
	}
	if got := names(src.All()); !slices.Equal(got, want) {
		t.Errorf("second iteration %v", got)
	}
	if src.Total != 4 || src.Len != 4 || src.Err() != nil {
		t.Errorf("total %d, len %d, err %v", src.Total, src.Len, src.Err())
	}
}

// TestOpenValidatesEverythingFirst checks that a bad or duplicate line
// anywhere fails Open, with its line, before any target is handed out.
func TestOpenValidatesEverythingFirst(t *testing.T) {
	var b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&b, "h%d.example\n", i)
	}
	b.WriteString("h17.example\nnot a host at all\n")
	p := write(t, "hosts.txt", b.String())
	_, err := Open(p, opts())
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`hosts.txt:5001:1: name: duplicate name "h17.example:443" (also used at line 18)`,
		`hosts.txt:5002:1: expected host[:port] and an optional server name`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestNameHashCollision makes two different names share a hash, as a
// 64-bit collision would, and checks that they are told apart and that a
// real duplicate of the second is still found.
func TestNameHashCollision(t *testing.T) {
	p := write(t, "hosts.txt", "a.example\nb.example\n")
	src := &Source{Path: p, file: p, dirPath: p, opts: opts()}
	h, err := newNameHashes(src)
	if err != nil {
		t.Fatal(err)
	}
	defer h.close()
	if _, dup := h.duplicate("a.example:443", 1, 0); dup {
		t.Fatal("first name reported as a duplicate")
	}
	// Line 1 ("a.example", at byte 0) also holds b.example:443's hash.
	h.first[maphash.String(h.seed, "b.example:443")] = lineRef{off: 0, line: 1}
	if _, dup := h.duplicate("b.example:443", 2, 10); dup {
		t.Error("different names with one hash reported as duplicates")
	}
	if line, dup := h.duplicate("b.example:443", 3, 20); !dup || line != 2 {
		t.Errorf("real duplicate after a collision: dup %v, line %d", dup, line)
	}
	if line, dup := h.duplicate("a.example:443", 4, 30); !dup || line != 1 {
		t.Errorf("duplicate of the re-read line: dup %v, line %d", dup, line)
	}
}

// TestOpenStdin checks that standard input is validated in full and then
// streamed from a copy that Close removes.
func TestOpenStdin(t *testing.T) {
	o := opts()
	o.Stdin = strings.NewReader("a.example\nb.example:8443\n")
	src, err := Open("-", o)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(src.All()); !slices.Equal(got, []string{"0:a.example:443", "1:b.example:8443"}) {
		t.Errorf("got %v", got)
	}
	copyPath := src.file
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(copyPath); !os.IsNotExist(err) {
		t.Errorf("copy of stdin left at %s", copyPath)
	}
	o.Stdin = strings.NewReader("a.example\nnot a host\n")
	if _, err := Open("-", o); err == nil || !strings.Contains(err.Error(), "<stdin>:2:1:") {
		t.Errorf("got %v", err)
	}
}

// TestSourceNoticesAChangedFile checks that a list edited between
// validation and scanning is reported, not scanned half-checked.
func TestSourceNoticesAChangedFile(t *testing.T) {
	p := write(t, "hosts.txt", "a.example\nb.example\n")
	src, err := Open(p, opts())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("a.example\nb.example\nbad host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range src.All() {
	}
	if src.Err() == nil || !strings.Contains(src.Err().Error(), "changed during the scan") {
		t.Errorf("err %v", src.Err())
	}
}

// TestShards checks that shards partition the targets, and that each
// target's shard does not depend on the order of the file.
func TestShards(t *testing.T) {
	var lines []string
	for i := range 300 {
		lines = append(lines, fmt.Sprintf("host%d.example", i))
	}
	shardOf := func(lines []string) map[string]int {
		p := write(t, "hosts.txt", strings.Join(lines, "\n"))
		out := map[string]int{}
		total := 0
		for k := 1; k <= 4; k++ {
			o := opts()
			o.Shard = Shard{K: k, N: 4}
			src, err := Open(p, o)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for tg := range src.All() {
				if prev, dup := out[tg.Name]; dup {
					t.Fatalf("%s in shards %d and %d", tg.Name, prev, k)
				}
				out[tg.Name] = k
				n++
			}
			if n != src.Len || src.Total != len(lines) {
				t.Errorf("shard %d: yielded %d, Len %d, Total %d", k, n, src.Len, src.Total)
			}
			if n < len(lines)/4/2 {
				t.Errorf("shard %d has only %d of %d targets", k, n, len(lines))
			}
			total += n
		}
		if total != len(lines) {
			t.Errorf("shards hold %d targets, want %d", total, len(lines))
		}
		return out
	}
	before := shardOf(lines)
	rand.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	after := shardOf(lines[:250])
	for name, k := range after {
		if before[name] != k {
			t.Errorf("%s moved from shard %d to %d when the file was reordered", name, before[name], k)
		}
	}
}

func TestParseShard(t *testing.T) {
	if s, err := ParseShard("2/8"); err != nil || s != (Shard{2, 8}) {
		t.Errorf("2/8: %v %v", s, err)
	}
	for _, bad := range []string{"0/4", "5/4", "1/0", "1", "a/b", "1/2/3"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// Pinned: the split must never change between versions.
	if got := ShardOf("api.example.com:443", 8); got != 6 {
		t.Errorf("ShardOf changed: %d, was 6", got)
	}
}
