package clientdata

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// isrgRootX1 is Let's Encrypt's root: added to AOSP for Android 7.1
// (API 25), absent from 7.0's store.
const isrgRootX1 = "96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6"

func TestEmbeddedDataParses(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	if n := len(Stores()); n < 35 {
		t.Errorf("%d stores, want at least 35", n)
	}
	if n := len(Profiles()); n < 49 {
		t.Errorf("%d profiles, want at least 49", n)
	}
	for _, p := range Profiles() {
		if p.Date == "" || len(p.Source) == 0 {
			t.Errorf("%s: no source or date", p.ID)
		}
		if p.Approximate && p.ApproximateWhy == "" {
			t.Errorf("%s: approximate without a reason", p.ID)
		}
		if p.MinVersion > p.MaxVersion || len(p.Suites) == 0 {
			t.Errorf("%s: versions %x-%x, %d suites", p.ID, p.MinVersion, p.MaxVersion, len(p.Suites))
		}
	}
}

func TestEveryStoreRootHashesToItsName(t *testing.T) {
	for _, s := range Stores() {
		for _, fp := range s.Fingerprints() {
			c, err := Root(fp)
			var unparsed *UnparsedError
			if errors.As(err, &unparsed) {
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", s.ID, err)
			}
			sum := sha256.Sum256(c.Raw)
			if hex.EncodeToString(sum[:]) != fp {
				t.Fatalf("%s: %s", s.ID, fp)
			}
		}
		if s.Pool() == nil {
			t.Fatalf("%s: no pool", s.ID)
		}
	}
}

func TestISRGRootX1FromAndroid25(t *testing.T) {
	for api, want := range map[int]bool{19: false, 24: false, 25: true, 30: true, 36: true} {
		s, err := LookupStore("android-" + string(rune('0'+api/10)) + string(rune('0'+api%10)))
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Contains(isrgRootX1); got != want {
			t.Errorf("android-%d (%s) has ISRG Root X1 = %v, want %v", api, s.ID, got, want)
		}
	}
}

func TestLookupStore(t *testing.T) {
	for name, want := range map[string]string{
		"mozilla":          "mozilla-gofallback-20261030",
		"Android-24":       "android-24",
		"android-31":       "android-30", // no store of its own: the newest below
		"java":             "java-20251101",
		"apple-2018071800": "apple-2018071800",
	} {
		s, err := LookupStore(name)
		if err != nil || s.ID != want {
			t.Errorf("LookupStore(%q) = %v, %v; want %s", name, s, err, want)
		}
	}
	for _, bad := range []string{"android-3", "nss", ""} {
		if _, err := LookupStore(bad); err == nil {
			t.Errorf("LookupStore(%q) succeeded", bad)
		}
	}
	for alias, id := range aliases {
		if StoreByID(id) == nil {
			t.Errorf("alias %s names unknown store %s", alias, id)
		}
	}
}

func TestProfiles(t *testing.T) {
	j := ProfileByID("java-8u161")
	if j == nil || j.MaxVersion != 0x0303 {
		t.Fatalf("java-8u161 = %+v, want a TLS 1.2-only Java 8", j)
	}
	var ids []string
	for _, p := range AndroidProfiles(24) {
		ids = append(ids, p.ID)
	}
	if got := strings.Join(ids, ","); !strings.HasPrefix(got, "android-24,android-25,") || strings.Contains(got, "android-21") || strings.Contains(got, "cronet") {
		t.Errorf("AndroidProfiles(24) = %s", got)
	}
	for _, p := range Profiles() {
		if p.TrustStore != "platform" && p.StoreFor("") == nil {
			t.Errorf("%s: store %s missing", p.ID, p.TrustStore)
		}
	}
}
