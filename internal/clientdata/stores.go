package clientdata

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// A Store is one dated trust-store snapshot: the roots one platform
// version trusted, with where they came from.
type Store struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Family string `json:"family"` // mozilla, android, apple, java, microsoft
	Source string `json:"source"`
	// SourceCommit and SourceDate pin a repository source (empty for a
	// package).
	SourceCommit string `json:"source_commit"`
	SourceDate   string `json:"source_commit_date"`
	Licence      string `json:"licence"`
	Retrieved    string `json:"retrieved"`
	Count        int    `json:"count"`
	ListFile     string `json:"list_file"`
	// Approximate is set when the snapshot is reconstructed or second-hand
	// rather than the platform's release state; Notes say how.
	Approximate bool   `json:"approximate"`
	Notes       string `json:"notes"`
	APILevel    int    `json:"api_level"`

	fingerprints []string
	pool         func() (*x509.CertPool, error)
}

// Fingerprints are the SHA-256 fingerprints (lower-case hex of the DER)
// of the store's roots, sorted.
func (s *Store) Fingerprints() []string { return s.fingerprints }

// Contains reports whether the store holds the certificate whose DER
// fingerprint is fp (lower-case hex SHA-256).
func (s *Store) Contains(fp string) bool {
	_, ok := slices.BinarySearch(s.fingerprints, fp)
	return ok
}

// Pool is the store's roots as a certificate pool, parsed on first use.
func (s *Store) Pool() *x509.CertPool {
	p, err := s.pool()
	if err != nil {
		panic(err) // the embedded data is checked by the package's tests
	}
	return p
}

func (d *data) loadStores() error {
	var index struct {
		Stores []*Store `json:"stores"`
	}
	if err := readJSON("truststores/index.json", &index); err != nil {
		return err
	}
	for _, s := range index.Stores {
		if s.ID == "" || d.stores[s.ID] != nil {
			return fmt.Errorf("index.json: missing or repeated store id %q", s.ID)
		}
		fps, err := readList(s.ListFile)
		if err != nil {
			return fmt.Errorf("store %s: %w", s.ID, err)
		}
		if len(fps) != s.Count {
			return fmt.Errorf("store %s: %s lists %d roots, index.json says %d", s.ID, s.ListFile, len(fps), s.Count)
		}
		s.fingerprints = fps
		s.pool = sync.OnceValues(func() (*x509.CertPool, error) { return poolOf(fps) })
		d.storeList = append(d.storeList, s)
		d.stores[s.ID] = s
	}
	return nil
}

// readList reads a store's fingerprint list: '#' comment lines, then one
// fingerprint a line.
func readList(name string) ([]string, error) {
	b, err := files.ReadFile(path.Join("truststores", name))
	if err != nil {
		return nil, err
	}
	var fps []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, err := hex.DecodeString(line); err != nil || len(line) != 2*sha256.Size {
			return nil, fmt.Errorf("%s:%d: not a SHA-256 fingerprint", name, n)
		}
		fps = append(fps, line)
	}
	if !slices.IsSorted(fps) {
		return nil, fmt.Errorf("%s: fingerprints are not sorted", name)
	}
	return fps, nil
}

// certs caches parsed pool certificates: stores share most of their roots.
var certs sync.Map // fingerprint -> *x509.Certificate

// Root returns the pool certificate with fingerprint fp.
func Root(fp string) (*x509.Certificate, error) {
	if c, ok := certs.Load(fp); ok {
		return c.(*x509.Certificate), nil
	}
	b, err := files.ReadFile("truststores/certs/" + fp + ".pem")
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("certs/%s.pem: no PEM certificate", fp)
	}
	if sum := sha256.Sum256(blk.Bytes); hex.EncodeToString(sum[:]) != fp {
		return nil, fmt.Errorf("certs/%s.pem: the certificate does not hash to its name", fp)
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return nil, &UnparsedError{fp, err}
	}
	certs.Store(fp, c)
	return c, nil
}

// An UnparsedError is a root crypto/x509 refuses to parse (an old root
// with a negative serial number): no Go client can trust it, so a store's
// Pool leaves it out.
type UnparsedError struct {
	Fingerprint string
	Err         error
}

func (e *UnparsedError) Error() string { return "certs/" + e.Fingerprint + ".pem: " + e.Err.Error() }

func poolOf(fps []string) (*x509.CertPool, error) {
	p := x509.NewCertPool()
	for _, fp := range fps {
		c, err := Root(fp)
		var unparsed *UnparsedError
		if errors.As(err, &unparsed) {
			continue
		}
		if err != nil {
			return nil, err
		}
		p.AddCert(c)
	}
	return p, nil
}

// Stores lists every store, in index.json's order.
func Stores() []*Store { return mustData().storeList }

// StoreByID returns the store with exactly this id, or nil.
func StoreByID(id string) *Store { return mustData().stores[id] }

// aliases name the current snapshot of a family; each must be an id in
// index.json (the tests check).
var aliases = map[string]string{
	"mozilla":   "mozilla-gofallback-20261030",
	"apple":     "apple-2025072000",
	"ios":       "apple-2025072000",
	"macos":     "apple-2025072000",
	"java":      "java-20251101",
	"microsoft": "microsoft-ctl-20250417-all",
	"windows":   "microsoft-ctl-20250417-all",
	"android":   "android-36",
}

// LookupStore resolves a name a user writes: a store id, a family name
// (its current snapshot: "mozilla", "apple", "java", "microsoft",
// "android"), or "android-N" for any API level the data covers (the
// newest snapshot at or below N: API 31 shares 30's store).
func LookupStore(name string) (*Store, error) {
	d := mustData()
	key := strings.ToLower(strings.TrimSpace(name))
	if id, ok := aliases[key]; ok {
		key = id
	}
	if s := d.stores[key]; s != nil {
		return s, nil
	}
	if rest, ok := strings.CutPrefix(key, "android-"); ok {
		if n, err := strconv.Atoi(rest); err == nil {
			if s := d.androidStore(n); s != nil {
				return s, nil
			}
			return nil, fmt.Errorf("no Android trust store for API level %d: the data covers %d to %d", n, d.androidRange()[0], d.androidRange()[1])
		}
	}
	return nil, fmt.Errorf("unknown trust store %q: use mozilla, apple, java, microsoft, android-N (API level), or one of the ids `tlsaudit clients` lists", name)
}

// androidStore is the newest Android store at or below API level n.
func (d *data) androidStore(n int) *Store {
	var best *Store
	for _, s := range d.storeList {
		if s.Family == "android" && s.APILevel <= n && (best == nil || s.APILevel > best.APILevel) {
			best = s
		}
	}
	return best
}

func (d *data) androidRange() [2]int {
	r := [2]int{1 << 30, 0}
	for _, s := range d.storeList {
		if s.Family == "android" {
			r[0], r[1] = min(r[0], s.APILevel), max(r[1], s.APILevel)
		}
	}
	return r
}
