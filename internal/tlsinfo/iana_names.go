package tlsinfo

import ztls "github.com/zmap/zcrypto/tls"

// ianaName is the IANA name of cipher suite id ("TLS_RSA_WITH_RC4_128_SHA"),
// or a name not starting with "TLS_" for an unassigned one. zcrypto keeps
// the whole IANA registry, legacy suites crypto/tls never had included;
// this is the catalog's only use of it, so that a build without zcrypto
// needs only another copy of this file.
func ianaName(id uint16) string { return ztls.CipherSuiteID(id).String() }
