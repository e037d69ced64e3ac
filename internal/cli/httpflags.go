package cli

import (
	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/internal/targets"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// httpFlags are scan's flags for the HTTP probes. Like the other scan
// flags they replace a targets file's defaults, not a target's own
// settings. Request headers have no flag on purpose: they often hold API
// keys, which belong in a targets file, not in shell history.
type httpFlags struct {
	protocol   string
	port       int
	method     string
	hstsMinAge int
}

func (f *httpFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.protocol, "protocol", "https", "what the TLS ports carry: https (HTTP checks run) or tls (another protocol, such as a database or MQTT: no HTTP requests)")
	intFlag(fl, &f.port, "http-port", scanner.DefaultHTTPPort, "plain-HTTP port checked for a fallback to cleartext")
	fl.StringVar(&f.method, "http-method", scanner.DefaultHTTPMethod, "method of the HTTP probes: GET or HEAD")
	intFlag(fl, &f.hstsMinAge, "hsts-min-age", int(scanner.DefaultHSTSMinAge.Seconds()), "shortest HSTS max-age accepted, in `SECONDS`")
}

// apply copies the flags the user set into s; the targets package
// checks their values (targets.CheckFlags).
func (f *httpFlags) apply(changed func(string) bool, s *targets.Settings) {
	if changed("protocol") {
		s.Protocol = &f.protocol
	}
	if changed("http-port") {
		s.HTTPPort = &f.port
	}
	if changed("http-method") {
		s.HTTPMethod = &f.method
	}
	if changed("hsts-min-age") {
		s.HSTSMinAge = &f.hstsMinAge
	}
}
