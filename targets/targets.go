// Package targets reads the endpoints to scan: a YAML targets file, a list
// with one target per line (a file or standard input), or command-line
// arguments. Every problem is reported before anything is dialed, as
// "file:line:column: field: what is wrong".
package targets

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// Built-in defaults of the settings the scanner has none for, used when
// neither the file nor a flag sets a value (SettingsTable lists every
// setting's default; the timeouts are the scanner's own).
const (
	DefaultPort           = 443
	DefaultExpiryWarnDays = 30
)

// Upper bounds of the numeric settings. Past them a value is a slip of
// the keyboard, and some would overflow: days and seconds become a
// time.Duration, which holds at most 292 years, and the deadline derived
// from a timeout is a multiple of it.
const (
	MaxExpiryWarnDays = 36500                // 100 years
	MaxHSTSMinAge     = 10 * 365 * 24 * 3600 // ten years, in seconds
	MaxTimeout        = 24 * time.Hour       // for timeout and deadline
	MaxConcurrency    = 10000
)

// CheckConcurrency accepts 1 to MaxConcurrency targets at once.
func CheckConcurrency(n int) error {
	if n < 1 || n > MaxConcurrency {
		return fmt.Errorf("must be from 1 to %d, got %d", MaxConcurrency, n)
	}
	return nil
}

// Settings are the options a target may set for itself and the file's
// `defaults` (or command-line flags) may set for every target. Nil means
// not set.
type Settings struct {
	Port           *int      `yaml:"port"`
	Timeout        *Duration `yaml:"timeout"`
	Deadline       *Duration `yaml:"deadline"`
	ExpiryWarnDays *int      `yaml:"expiry_warn_days"`
	CA             *string   `yaml:"ca"`
	Checks         []string  `yaml:"checks"`
	SkipChecks     []string  `yaml:"skip_checks"`
	AllAddresses   *bool     `yaml:"all_addresses"`
	// Accept lists accepted risks; like skip_checks, they add up.
	Accept AcceptList `yaml:"accept"`

	// The chain (see chain_settings.go).
	Pins             []string `yaml:"pins"`
	ClientCert       *string  `yaml:"client_cert"`
	ClientKey        *string  `yaml:"client_key"`
	OnlineRevocation *bool    `yaml:"online_revocation"`
	Zlint            []string `yaml:"zlint"`
	// Profile is the Mozilla server-side TLS profile the protocol and
	// cipher checks grade against: modern, intermediate or old.
	Profile *string `yaml:"profile"`
	// HTTP probes (see http.go).
	Protocol    *string           `yaml:"protocol"`
	HTTPPort    *int              `yaml:"http_port"`
	HTTPPath    *string           `yaml:"http_path"`
	HTTPMethod  *string           `yaml:"http_method"`
	HTTPHeaders map[string]string `yaml:"http_headers"`
	HSTSMinAge  *int              `yaml:"hsts_min_age"`
	// Client simulation (see clients.go).
	TrustStores []string `yaml:"trust_stores"`
	Clients     []string `yaml:"clients"`
}

// Options say how to read targets.
type Options struct {
	// Checks are the known checks, against which check patterns are
	// validated.
	Checks []*scanner.Check
	// Flags are settings given on the command line. They override the
	// file's defaults; a target's own setting still wins over them, except
	// skip_checks, which add up.
	Flags Settings
	// Stdin is read for the path "-"; paths given in Flags (--ca) are
	// relative to the working directory.
	Stdin io.Reader
	// Inputs, when set, is shared by the loads of one scan, to notice a
	// target name in more than one input.
	Inputs *Inputs
	// Shard, when set, keeps only the targets of one shard (every target
	// is still validated).
	Shard Shard
	// Files, when set, is shared by the loads of one run, so that each CA
	// file and client key pair is read once (see FileCache).
	Files *FileCache
}

// A File is a loaded set of targets.
type File struct {
	// Path is the file the targets came from ("-" for standard input,
	// "" for command-line arguments).
	Path    string
	Targets []*scanner.Target
	// Total counts the file's targets in every shard; Targets holds only
	// those of Options.Shard.
	Total int
	// Concurrency is the file's defaults.concurrency, or 0.
	Concurrency int
}

// Load reads a targets file whole, as Open reads it (YAML when the name
// ends in .yaml or .yml, otherwise one target per line), holding every
// target in memory.
func Load(path string, opts Options) (*File, error) {
	src, err := Open(path, opts)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	f := &File{Path: src.Path, Total: src.Total, Concurrency: src.Concurrency}
	for t := range src.All() {
		f.Targets = append(f.Targets, t)
	}
	if err := src.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// isYAML reports whether the targets file at path is read as YAML: its
// name ends in .yaml or .yml ("-", standard input, is always a list).
func isYAML(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return path != "-" && (ext == ".yaml" || ext == ".yml")
}

// FromArgs makes targets from command-line arguments (host, host:port,
// [v6]:port, https:// URL, or http:// URL naming the plain-HTTP port).
func FromArgs(args []string, opts Options) (*File, error) {
	if err := CheckFlags(opts); err != nil {
		return nil, err
	}
	l := newLoader("", "", opts)
	for i, a := range args {
		l.line(strings.TrimSpace(a), fileloc.Location{}, fmt.Sprintf("argument %d", i+1))
	}
	if err := l.finish(); err != nil {
		return nil, err
	}
	return &File{Targets: l.targets, Total: l.seen}, nil
}
