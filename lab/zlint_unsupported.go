//go:build nozcrypto || windows

package lab

// zlintSupported follows checks.ZlintAvailable: the lab only asks for
// findings the build can report.
const zlintSupported = false
