package clientdata

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// A Profile is one TLS client: what its ClientHello offers and what it
// accepts from a server, with the trust store it verifies against.
type Profile struct {
	ID         string
	Name       string
	Platform   string // android, ios, macos, jvm, windows, dart, ...
	ClientKind string // os-stack, browser, runtime, library
	// APILevel is the Android API level of an android-N profile.
	APILevel int
	// MinVersion and MaxVersion bound the protocol versions offered
	// (crypto/tls numbering; 0x0300 is SSL 3.0).
	MinVersion, MaxVersion uint16
	// Suites are the cipher suites offered, in the client's order
	// (signalling values removed).
	Suites []uint16
	// Groups are the supported groups offered, in order; empty when the
	// profile does not say (a filter over a platform's hello).
	Groups []uint16
	// SignatureAlgorithms are the TLS signature schemes offered; empty
	// when unknown.
	SignatureAlgorithms []uint16
	// TrustStore is the store id the client verifies against, or
	// "platform" when it uses whatever the OS it runs on has (OkHttp,
	// Dart).
	TrustStore string
	Limits     Limits
	// AIAFetching: the client fetches a missing intermediate from the
	// leaf's caIssuers URL (browsers, Apple, Windows), so a server that
	// omits one still works for it.
	AIAFetching bool
	// Source is where the profile's facts come from, Date when, both as
	// recorded in profiles.json.
	Source      json.RawMessage
	Date        string
	Approximate bool
	// ApproximateWhy says what is borrowed or assumed.
	ApproximateWhy string
}

// Limits are the server parameters a client refuses; zero means none
// known.
type Limits struct {
	MinRSABits   int
	MinDHBits    int
	MinECDSABits int
	// RequiresSHA2Certificates: a certificate signed with SHA-1 is refused.
	RequiresSHA2Certificates bool
}

// Platform ids used by Profile.Platform for the two mobile platforms.
const (
	PlatformAndroid = "android"
	PlatformIOS     = "ios"
)

type profileJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Platform   string `json:"platform"`
	ClientKind string `json:"client_kind"`
	TrustStore string `json:"trust_store"`
	APILevel   int    `json:"api_level"`
	Versions   struct {
		Min string `json:"min"`
		Max string `json:"max"`
	} `json:"versions"`
	CipherSuites        []string `json:"cipher_suites"`
	Groups              []string `json:"groups"`
	SignatureAlgorithms []string `json:"signature_algorithms"`
	Limits              struct {
		RequiresSHA2      bool `json:"requires_sha2"`
		MinRSABits        *int `json:"min_rsa_bits"`
		MinDHBits         *int `json:"min_dh_bits"`
		MinECDSABits      *int `json:"min_ecdsa_bits"`
		RequiresSHA2Certs any  `json:"requires_sha2_certificates"`
	} `json:"limits"`
	Verification struct {
		AIAFetching bool `json:"aia_fetching"`
	} `json:"verification"`
	Source         json.RawMessage `json:"source"`
	Date           string          `json:"date"`
	Approximate    bool            `json:"approximate"`
	ApproximateWhy string          `json:"approximate_why"`
}

var versionNames = map[string]uint16{
	"SSL 3.0": 0x0300, "TLS 1.0": 0x0301, "TLS 1.1": 0x0302, "TLS 1.2": 0x0303, "TLS 1.3": 0x0304,
}

func (d *data) loadProfiles() error {
	var file struct {
		Generated string        `json:"generated"`
		Profiles  []profileJSON `json:"profiles"`
	}
	if err := readJSON("profiles.json", &file); err != nil {
		return err
	}
	d.generated = file.Generated
	for _, pj := range file.Profiles {
		p, err := pj.profile()
		if err != nil {
			return fmt.Errorf("profile %q: %w", pj.ID, err)
		}
		if d.profiles[p.ID] != nil {
			return fmt.Errorf("profile %q: repeated id", p.ID)
		}
		if p.TrustStore != "platform" && d.stores[p.TrustStore] == nil {
			return fmt.Errorf("profile %q: unknown trust store %q", p.ID, p.TrustStore)
		}
		d.profileList = append(d.profileList, p)
		d.profiles[p.ID] = p
	}
	return nil
}

func (pj profileJSON) profile() (*Profile, error) {
	p := &Profile{
		ID: pj.ID, Name: pj.Name, Platform: pj.Platform, ClientKind: pj.ClientKind,
		APILevel: pj.APILevel, TrustStore: pj.TrustStore, AIAFetching: pj.Verification.AIAFetching,
		Source: pj.Source, Date: pj.Date, Approximate: pj.Approximate, ApproximateWhy: pj.ApproximateWhy,
	}
	var ok bool
	if p.MinVersion, ok = versionNames[pj.Versions.Min]; !ok {
		return nil, fmt.Errorf("unknown minimum version %q", pj.Versions.Min)
	}
	if p.MaxVersion, ok = versionNames[pj.Versions.Max]; !ok {
		return nil, fmt.Errorf("unknown maximum version %q", pj.Versions.Max)
	}
	var err error
	if p.Suites, err = codes(pj.CipherSuites); err != nil {
		return nil, fmt.Errorf("cipher_suites: %w", err)
	}
	// Signalling values are not suites a server can choose.
	p.Suites = slicesDelete(p.Suites, 0x00FF, 0x5600)
	if p.Groups, err = codes(pj.Groups); err != nil {
		return nil, fmt.Errorf("groups: %w", err)
	}
	if p.SignatureAlgorithms, err = codes(pj.SignatureAlgorithms); err != nil {
		return nil, fmt.Errorf("signature_algorithms: %w", err)
	}
	l := pj.Limits
	p.Limits = Limits{MinRSABits: deref(l.MinRSABits), MinDHBits: deref(l.MinDHBits), MinECDSABits: deref(l.MinECDSABits)}
	// requires_sha2_certificates is true, or a sentence naming the rule
	// (Java's "SHA1 jdkCA": SHA-1 refused under the JDK's own roots).
	switch v := l.RequiresSHA2Certs.(type) {
	case bool:
		p.Limits.RequiresSHA2Certificates = v
	case string:
		p.Limits.RequiresSHA2Certificates = v != ""
	}
	return p, nil
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func slicesDelete(s []uint16, drop ...uint16) []uint16 {
	out := s[:0]
	for _, x := range s {
		keep := true
		for _, d := range drop {
			keep = keep && x != d
		}
		if keep {
			out = append(out, x)
		}
	}
	return out
}

func codes(hexes []string) ([]uint16, error) {
	out := make([]uint16, 0, len(hexes))
	for _, h := range hexes {
		v, err := strconv.ParseUint(strings.TrimPrefix(h, "0x"), 16, 16)
		if err != nil || !strings.HasPrefix(h, "0x") {
			return nil, fmt.Errorf("bad code %q", h)
		}
		out = append(out, uint16(v))
	}
	return out, nil
}

// Profiles lists every client profile, in profiles.json's order.
func Profiles() []*Profile { return mustData().profileList }

// ProfileByID returns the profile with this id, or nil.
func ProfileByID(id string) *Profile { return mustData().profiles[strings.ToLower(id)] }

// Generated is the date profiles.json was built.
func Generated() string { return mustData().generated }

// StoreFor is the store p verifies against. A "platform" profile (a
// library over the OS's TLS stack) uses platformStore, the store of the
// platform it is simulated on; nil when that is empty.
func (p *Profile) StoreFor(platformStore string) *Store {
	id := p.TrustStore
	if id == "platform" {
		id = platformStore
	}
	return StoreByID(id)
}

// AndroidProfiles are the android-N platform profiles with N >= minSDK,
// oldest first.
func AndroidProfiles(minSDK int) []*Profile {
	var out []*Profile
	for _, p := range Profiles() {
		if p.Platform == PlatformAndroid && p.APILevel >= minSDK && p.ClientKind == "os-stack" {
			out = append(out, p)
		}
	}
	return out
}

// ResolveClients turns what a user or discover writes into profile ids,
// in profiles.json's order: a profile id, "android-N+" (every Android
// platform profile from API N), "ios-N+" and "macos-N+" (every iOS or
// macOS profile from version N). A spec that matches nothing is an error.
func ResolveClients(specs []string) ([]string, error) {
	want := map[string]bool{}
	for _, spec := range specs {
		key := strings.ToLower(strings.TrimSpace(spec))
		n := 0
		if p := ProfileByID(key); p != nil {
			want[p.ID] = true
			n++
		} else if base, ok := strings.CutSuffix(key, "+"); ok {
			platform, ver, _ := strings.Cut(base, "-")
			from, err := strconv.ParseFloat(ver, 64)
			if err != nil {
				return nil, fmt.Errorf("client %q: want PLATFORM-VERSION+ (android-24+, ios-15+)", spec)
			}
			for _, p := range Profiles() {
				if p.Platform == platform && p.ClientKind == "os-stack" && p.version() >= from {
					want[p.ID] = true
					n++
				}
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("unknown client %q: use a profile id (`tlsaudit checks` docs list them), android-N+ or ios-N+", spec)
		}
	}
	var out []string
	for _, p := range Profiles() {
		if want[p.ID] {
			out = append(out, p.ID)
		}
	}
	return out, nil
}

// version is the platform version in the profile's id (24 for
// android-24, 10.14 for macos-10.14), or -1.
func (p *Profile) version() float64 {
	if p.APILevel > 0 {
		return float64(p.APILevel)
	}
	_, v, _ := strings.Cut(p.ID, "-")
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return -1
	}
	return f
}
