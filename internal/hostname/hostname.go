// Package hostname holds the one way tlsaudit folds host and server names
// before comparing or reporting them, so that "API.example.com.",
// "api.example.com" and " api.example.com " are one identity everywhere:
// in targets files, line lists, arguments, `pin --servername`, discovered
// hosts and drop lists.
package hostname

import "strings"

// Fold returns name without surrounding space or one trailing dot (the
// DNS root, which names the same host), in lowercase (DNS names are case
// insensitive). It does not check that name is valid.
func Fold(name string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
}
