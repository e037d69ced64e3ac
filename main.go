// Command tlsaudit audits TLS endpoints: certificates, trust, names,
// protocols and ciphers, and the HTTP side of HTTPS APIs. See README.md.
package main

import (
	"os"

	"github.com/tlsaudit/tlsaudit/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
