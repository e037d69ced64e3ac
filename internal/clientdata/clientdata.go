// Package clientdata holds the client-simulation data tlsaudit ships:
// client profiles (what each TLS client offers and accepts) and dated
// trust-store snapshots (which roots each client trusts), embedded from
// the files next to this one. README.md says where every file comes from;
// refresh.sh rebuilds them.
package clientdata

import (
	"embed"
	"encoding/json"
	"fmt"
	"sync"
)

//go:embed profiles.json truststores/index.json truststores/stores/*.txt truststores/certs/*.pem
var files embed.FS

// loaded is the parsed data, once per process: the embedded files are
// fixed at build time, so a parse error is a build defect, reported by
// every accessor (and by the package's tests).
var loaded = sync.OnceValues(func() (*data, error) {
	d := &data{stores: map[string]*Store{}, profiles: map[string]*Profile{}}
	if err := d.loadStores(); err != nil {
		return nil, fmt.Errorf("clientdata: trust stores: %w", err)
	}
	if err := d.loadProfiles(); err != nil {
		return nil, fmt.Errorf("clientdata: profiles: %w", err)
	}
	return d, nil
})

type data struct {
	storeList   []*Store
	stores      map[string]*Store
	profileList []*Profile
	profiles    map[string]*Profile
	generated   string
}

func readJSON(name string, v any) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func mustData() *data {
	d, err := loaded()
	if err != nil {
		panic(err)
	}
	return d
}

// Check parses the embedded data and reports the first problem; the
// accessors panic on one, which Check lets a command report cleanly.
func Check() error {
	_, err := loaded()
	return err
}
