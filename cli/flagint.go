package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// decimalFlag is a whole-number flag written in decimal digits, with an
// optional minus sign (so that a range check can say "got -1"). pflag's
// own int flags parse with strconv's base 0, which takes "+80", "0x50",
// "0o17" and "1_0": a port or a count is written one way, as in targets
// files.
type decimalFlag struct{ p *int }

func (d decimalFlag) String() string {
	if d.p == nil {
		return "0"
	}
	return strconv.Itoa(*d.p)
}

func (d decimalFlag) Set(s string) error {
	digits, neg := strings.CutPrefix(s, "-")
	if digits == "" || len(digits) > 18 || strings.Trim(digits, "0123456789") != "" {
		return fmt.Errorf("%q is not a whole number written in decimal digits", s)
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return err
	}
	if neg {
		n = -n
	}
	*d.p = n
	return nil
}

func (decimalFlag) Type() string { return "int" }

// intFlag defines a decimalFlag with a default, as fl.IntVar would.
func intFlag(fl *pflag.FlagSet, p *int, name string, value int, usage string) {
	*p = value
	fl.Var(decimalFlag{p}, name, usage)
}
