//go:build nozcrypto || windows || (darwin && arm64 && !cgo)

package lab

// weakPreferredEndpoint needs zcrypto's server, which this build lacks.
func weakPreferredEndpoint() *Endpoint { return nil }
