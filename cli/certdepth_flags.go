package cli

import (
	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/targets"
)

// certDepthFlags are scan's flags for pins, client certificates,
// revocation and zlint. Like the other setting flags they replace a
// targets file's defaults, not a target's own settings.
type certDepthFlags struct {
	pins             []string
	clientCert       string
	clientKey        string
	onlineRevocation bool
	zlint            []string
}

func (f *certDepthFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.pins, "pin", nil, "expect one of these keys in the chain: `sha256/BASE64` (repeatable; 'tlsaudit pin HOST' prints them)")
	fl.StringVar(&f.clientCert, "client-cert", "", "present this client certificate (PEM `FILE`) when a server asks for one (mutual TLS)")
	fl.StringVar(&f.clientKey, "client-key", "", "the client certificate's private key (PEM `FILE`)")
	fl.BoolVar(&f.onlineRevocation, "online-revocation", false, "ask the leaf's OCSP responder whether it is revoked (traffic to a host other than the target)")
	fl.StringSliceVar(&f.zlint, "zlint", nil, "run zlint's lints from these `SOURCES` (comma-separated: RFC5280, CABF_BR, ..., or all)")
}

// apply sets the flags the user gave on the settings; the targets
// package checks their values (targets.CheckFlags).
func (f *certDepthFlags) apply(changed func(string) bool, s *targets.Settings) error {
	if len(f.pins) > 0 {
		s.Pins = f.pins
	}
	if (f.clientCert == "") != (f.clientKey == "") {
		return usageErr("--client-cert and --client-key go together")
	}
	if f.clientCert != "" {
		s.ClientCert, s.ClientKey = &f.clientCert, &f.clientKey
	}
	if changed("online-revocation") {
		s.OnlineRevocation = &f.onlineRevocation
	}
	if changed("zlint") {
		s.Zlint = f.zlint
	}
	return nil
}
