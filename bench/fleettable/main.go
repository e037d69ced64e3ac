// Command fleettable reads `go test -bench BenchmarkFleet` output from
// several rounds (see bench/run.sh) and prints one row per endpoint count
// and mode: the median of each metric over the rounds, and each audit's
// rate as a ratio of the raw-handshake rate measured in the same round
// (the median of the per-round ratios, so machine noise that slows a whole
// round cancels out).
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// metrics are printed in this order, with these headings.
var metrics = []struct{ unit, heading string }{
	{"targets/s", "targets/s"},
	{"conns/target", "conns/target"},
	{"cpu-µs/target", "CPU µs/target"},
	{"allocs/target", "allocs/target"},
	{"B/target", "bytes/target"},
}

var nameRE = regexp.MustCompile(`^BenchmarkFleet/endpoints=(\d+)/([a-z-]+)(-\d+)?$`)

type key struct {
	endpoints int
	mode      string
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fleettable:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	// rounds[k][i] is the metrics of round i for k.
	rounds := map[key][]map[string]float64{}
	var order []key
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 {
			continue
		}
		m := nameRE.FindStringSubmatch(f[0])
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		k := key{n, m[2]}
		vals := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err == nil {
				vals[f[i+1]] = v
			}
		}
		if _, seen := rounds[k]; !seen {
			order = append(order, k)
		}
		rounds[k] = append(rounds[k], vals)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(order) == 0 {
		return fmt.Errorf("no BenchmarkFleet results in the input")
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"endpoints", "mode", "rounds"}
	for _, m := range metrics {
		head = append(head, m.heading)
	}
	head = append(head, "rate vs raw")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, k := range order {
		rs := rounds[k]
		row := []string{strconv.Itoa(k.endpoints), k.mode, strconv.Itoa(len(rs))}
		for _, m := range metrics {
			row = append(row, format(median(column(rs, m.unit))))
		}
		ratio := "-"
		if raw := rounds[key{k.endpoints, "raw-handshake"}]; k.mode != "raw-handshake" && raw != nil {
			var ratios []float64
			for i := range min(len(rs), len(raw)) {
				if r := raw[i]["targets/s"]; r > 0 {
					ratios = append(ratios, rs[i]["targets/s"]/r)
				}
			}
			if len(ratios) > 0 {
				ratio = fmt.Sprintf("%.0f%% (%.0f–%.0f%%)", 100*median(ratios), 100*slices.Min(ratios), 100*slices.Max(ratios))
			}
		}
		row = append(row, ratio)
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	return tw.Flush()
}

func column(rs []map[string]float64, unit string) []float64 {
	var out []float64
	for _, r := range rs {
		if v, ok := r[unit]; ok {
			out = append(out, v)
		}
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return -1
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func format(v float64) string {
	switch {
	case v < 0:
		return "-"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
