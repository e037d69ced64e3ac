package targets

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// The settings a target, a file's `defaults` and scan's flags may set,
// each stated once: its YAML key, its flag, its default, its help. The
// YAML decoding (the tags of Settings), scan's flags (cli), the messages
// that name a flag, and docs/targets.md (WriteSettingsDoc) all read this
// table.

// A FlagKind is how a setting's flag is written on the command line.
type FlagKind int

// Flag kinds.
const (
	FlagNone     FlagKind = iota // the setting has no flag
	FlagString                   // --name VALUE
	FlagInt                      // --name N, decimal
	FlagBool                     // --name, or --name=false
	FlagDuration                 // --name 10s
	FlagList                     // --name a,b (comma-separated, repeatable)
	FlagRepeat                   // --name a --name b
)

// A Setting is one key of a targets file's `defaults` or target entries.
type Setting struct {
	// Key is the YAML key (a tag of Settings).
	Key string
	// Flag is scan's flag for it ("" with FlagNone); Arg the placeholder
	// its help names (`FILE`), if any.
	Flag string
	Kind FlagKind
	// Default is the built-in value: a flag's default, and what a target
	// gets when nothing sets it. Nil when it has none.
	Default any
	// Help is the flag's help and the setting's one-line description.
	Help string
	// set stores a flag's value (of Kind's Go type) in s.
	set func(s *Settings, v any)
}

func ptr[T any](v any) *T { x := v.(T); return &x }

// SettingsTable is every setting, in the order the docs list them.
var SettingsTable = []Setting{
	{Key: "port", Default: DefaultPort, Help: "the TLS port, when the host does not name one"},
	{Key: "timeout", Flag: "timeout", Kind: FlagDuration, Default: scanner.DefaultConnectTimeout,
		Help: "connect plus TLS handshake, per connection",
		set:  func(s *Settings, v any) { s.Timeout = ptr[Duration](Duration(v.(time.Duration))) }},
	{Key: "deadline", Flag: "deadline", Kind: FlagDuration, Default: scanner.DefaultDeadline,
		Help: "everything done for one target; when not set anywhere, 3 × the timeout if that is longer than the default",
		set:  func(s *Settings, v any) { s.Deadline = ptr[Duration](Duration(v.(time.Duration))) }},
	{Key: "expiry_warn_days", Flag: "expiry-days", Kind: FlagInt, Default: DefaultExpiryWarnDays,
		Help: "warn when a certificate expires within this many days",
		set:  func(s *Settings, v any) { s.ExpiryWarnDays = ptr[int](v) }},
	{Key: "ca", Flag: "ca", Kind: FlagString, Default: "",
		Help: "trust the CA certificates in `FILE` (PEM or DER) instead of the system roots",
		set:  func(s *Settings, v any) { s.CA = ptr[string](v) }},
	{Key: "checks", Flag: "checks", Kind: FlagList,
		Help: "run only these checks (IDs or globs, comma-separated)",
		set:  func(s *Settings, v any) { s.Checks = v.([]string) }},
	{Key: "skip_checks", Flag: "skip", Kind: FlagList,
		Help: "skip these checks (IDs or globs, comma-separated)",
		set:  func(s *Settings, v any) { s.SkipChecks = v.([]string) }},
	{Key: "all_addresses", Flag: "all-addresses", Kind: FlagBool, Default: false,
		Help: "scan every address a name resolves to, one result each",
		set:  func(s *Settings, v any) { s.AllAddresses = ptr[bool](v) }},
	{Key: "accept", Help: "accepted risks: check, until (a date), reason; they add up like skip_checks"},
	{Key: "pins", Flag: "pin", Kind: FlagRepeat,
		Help: "expect one of these keys in the chain: `sha256/BASE64` (repeatable; 'tlsaudit pin HOST' prints them)",
		set:  func(s *Settings, v any) { s.Pins = v.([]string) }},
	{Key: "client_cert", Flag: "client-cert", Kind: FlagString, Default: "",
		Help: "present this client certificate (PEM `FILE`) when a server asks for one (mutual TLS)",
		set:  func(s *Settings, v any) { s.ClientCert = ptr[string](v) }},
	{Key: "client_key", Flag: "client-key", Kind: FlagString, Default: "",
		Help: "the client certificate's private key (PEM `FILE`)",
		set:  func(s *Settings, v any) { s.ClientKey = ptr[string](v) }},
	{Key: "online_revocation", Flag: "online-revocation", Kind: FlagBool, Default: false,
		Help: "ask the leaf's OCSP responder and CRLs whether it is revoked (traffic to a host other than the target)",
		set:  func(s *Settings, v any) { s.OnlineRevocation = ptr[bool](v) }},
	{Key: "zlint", Flag: "zlint", Kind: FlagList,
		Help: "run zlint's lints from these `SOURCES` (comma-separated: RFC5280, CABF_BR, ..., or all)",
		set:  func(s *Settings, v any) { s.Zlint = v.([]string) }},
	{Key: "profile", Flag: "profile", Kind: FlagString, Default: scanner.DefaultProfile,
		Help: "Mozilla TLS profile the protocol and cipher checks grade against: modern, intermediate or old",
		set:  func(s *Settings, v any) { s.Profile = ptr[string](v) }},
	{Key: "protocol", Flag: "protocol", Kind: FlagString, Default: string(scanner.ProtocolHTTPS),
		Help: "what the TLS ports carry: https (HTTP checks run), tls (no application bytes), or smtp, smtps, imap, imaps, pop3, pop3s, ftp, ftps, ldap, ldaps, postgres, mysql, xmpp, xmpps, mqtt (docs/protocols.md); unset, a well-known port names it",
		set:  func(s *Settings, v any) { s.Protocol = ptr[string](v) }},
	{Key: "http_port", Flag: "http-port", Kind: FlagInt, Default: scanner.DefaultHTTPPort,
		Help: "plain-HTTP port checked for a fallback to cleartext",
		set:  func(s *Settings, v any) { s.HTTPPort = ptr[int](v) }},
	{Key: "http_path", Default: "/", Help: "path (and query) the HTTP probes request"},
	{Key: "http_method", Flag: "http-method", Kind: FlagString, Default: scanner.DefaultHTTPMethod,
		Help: "method of the HTTP probes: GET or HEAD",
		set:  func(s *Settings, v any) { s.HTTPMethod = ptr[string](v) }},
	// Request headers have no flag on purpose: they often hold API keys,
	// which belong in a targets file, not in shell history.
	{Key: "http_headers", Help: "extra request headers of the HTTP probes, sent over verified TLS only and redacted from reports"},
	{Key: "hsts_min_age", Flag: "hsts-min-age", Kind: FlagInt, Default: int(scanner.DefaultHSTSMinAge.Seconds()),
		Help: "shortest HSTS max-age accepted, in `SECONDS`",
		set:  func(s *Settings, v any) { s.HSTSMinAge = ptr[int](v) }},
	{Key: "trust_stores", Flag: "trust-store", Kind: FlagList,
		Help: "verify the chain against these trust stores instead of the system roots (comma-separated: mozilla, apple, java, microsoft, android-N, or a snapshot id); with ca, in addition to it",
		set:  func(s *Settings, v any) { s.TrustStores = v.([]string) }},
	{Key: "clients", Flag: "clients", Kind: FlagList,
		Help: "the clients the app supports, whose failures are high: android-N+ (API N and later), ios-N+, or profile ids; client-incompatible reports the others as information",
		set:  func(s *Settings, v any) { s.Clients = v.([]string) }},
}

// SetFlag stores the value of st's flag, as the flag package parsed it
// (string, int, bool, time.Duration or []string by Kind), in s.
func (st Setting) SetFlag(s *Settings, v any) { st.set(s, v) }

// Applies reports whether a flag the user changed overrides the file:
// always, except an empty list or an empty string whose default is empty
// (--ca "" trusts the system roots, as no --ca does).
func (st Setting) Applies(v any) bool {
	switch x := v.(type) {
	case []string:
		return len(x) > 0
	case string:
		return x != "" || st.Default != ""
	}
	return true
}

// flagName is the flag of a setting's key, for messages about the
// settings given on the command line.
func flagName(key string) string {
	for _, st := range SettingsTable {
		if st.Key == key && st.Flag != "" {
			return "--" + st.Flag
		}
	}
	return "--" + strings.ReplaceAll(key, "_", "-")
}

// WriteSettingsDoc writes the reference of the settings in Markdown:
// docs/targets.md, which a test keeps current.
func WriteSettingsDoc(b *strings.Builder) {
	b.WriteString("# Targets file settings\n\n")
	b.WriteString("Generated from `targets.SettingsTable` (targets/settings.go); `go test ./targets -run TestSettingsDoc -update` rewrites it.\n\n")
	b.WriteString("Each setting may be given in `defaults:` (every target), by a scan flag (overrides the defaults), or in a target's own entry (wins over both; `skip_checks` and `accept` add up instead).\n\n")
	b.WriteString("| key | flag | default | meaning |\n| --- | --- | --- | --- |\n")
	for _, st := range SettingsTable {
		flag := ""
		if st.Flag != "" {
			flag = "`--" + st.Flag + "`"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", st.Key, flag, docDefault(st.Default), strings.ReplaceAll(st.Help, "`", ""))
	}
}

func docDefault(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if x == "" {
			return ""
		}
		return "`" + x + "`"
	case int:
		return "`" + strconv.Itoa(x) + "`"
	}
	return fmt.Sprintf("`%v`", v)
}

// CheckFlags checks the settings given on the command line (opts.Flags)
// as a targets file's are checked, reading any CA file and client key
// pair they name (into opts.Files, when shared, so that the loads that
// follow do not read them again). Each problem names its flag
// ("--ca: cannot read CA file: ..."). Load, Open and FromArgs call it
// first; a caller that may load nothing (scan --discover of a tree that
// names no host) calls it itself.
func CheckFlags(opts Options) error {
	l := newLoader("", "", opts)
	l.validateSettings(layer{s: &l.opts.Flags, dir: "."})
	for _, err := range l.errs.errs {
		if e, ok := err.(*Error); ok && e.Field != "" {
			e.Field = flagName(e.Field)
		}
	}
	return l.errs.err()
}
