package cli

import (
	"runtime/debug"
)

// version is the release's version, set by the release build
// (-ldflags "-X github.com/tlsaudit/tlsaudit/cli.version=v1.2.3", see
// .goreleaser.yaml); empty otherwise.
var version string

// Version is the one version string tlsaudit shows: `tlsaudit version`,
// --version, the User-Agent of HTTP probes, and the tool version of JSON
// and SARIF reports. It is the release build's version when set, else the
// module version `go install …@vX.Y.Z` records, else "dev" with the VCS
// revision when known.
func Version() string { return resolveVersion(version, debug.ReadBuildInfo) }

func resolveVersion(release string, buildInfo func() (*debug.BuildInfo, bool)) string {
	if release != "" {
		return release
	}
	bi, ok := buildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}
