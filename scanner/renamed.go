package scanner

// renamedChecks maps check IDs that were renamed to their current ID, so
// that targets files (accept:), --checks/--skip patterns and baseline
// reports written before a rename keep meaning the same check.
var renamedChecks = map[string]string{
	// Revocation is reported from OCSP or a CRL under one check.
	"ocsp-revoked": "cert-revoked",
}

// CurrentID returns the current ID of a check that was renamed, and any
// other ID unchanged.
func CurrentID(id string) string {
	if now, ok := renamedChecks[id]; ok {
		return now
	}
	return id
}

// formerIDs lists the IDs the check with this ID had before renames.
func formerIDs(id string) []string {
	var out []string
	for old, now := range renamedChecks {
		if now == id {
			out = append(out, old)
		}
	}
	return out
}

// matchAny reports whether pattern matches id or one of its former IDs.
func matchAny(pattern, id string) bool {
	if match(pattern, id) {
		return true
	}
	for _, old := range formerIDs(id) {
		if match(pattern, old) {
			return true
		}
	}
	return false
}
