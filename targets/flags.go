package targets

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
