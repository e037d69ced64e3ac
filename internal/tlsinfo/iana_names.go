package tlsinfo

// ianaName is the IANA name of cipher suite id ("TLS_RSA_WITH_RC4_128_SHA"),
// or "" for an ID the table does not name. The table (iana_names_table.go)
// is written from zcrypto's copy of the IANA registry, which keeps the
// legacy suites crypto/tls never had, by TestIANANames -update; holding it
// as data keeps the catalog the same on every platform, including those
// zcrypto does not build on.
func ianaName(id uint16) string { return ianaSuiteNames[id] }
