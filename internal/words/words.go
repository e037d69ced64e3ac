// Package words holds the small English helpers messages share.
package words

// Plural returns one when n is 1, else many: "1 target", "2 targets".
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
