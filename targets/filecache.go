package targets

import (
	"crypto/tls"
	"crypto/x509"
	"sync"
)

// A FileCache holds the CA files and client key pairs read during one
// run, with the error of each that could not be read, so that a file is
// read once however many loads name it: a scan opens each targets file,
// reads line lists again as it goes, and checks the flags first, each
// with a loader of its own. Share one through Options.Files; a loader
// given none keeps its own.
type FileCache struct {
	mu    sync.Mutex
	pools map[string]cachedPool
	keys  map[[2]string]cachedKey
}

type cachedPool struct {
	pool *x509.CertPool
	err  error
}

type cachedKey struct {
	cert *tls.Certificate
	err  error
}

// NewFileCache returns an empty cache.
func NewFileCache() *FileCache {
	return &FileCache{pools: map[string]cachedPool{}, keys: map[[2]string]cachedKey{}}
}

// pool is LoadCA(path), read once.
func (c *FileCache) pool(path string) (*x509.CertPool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pools[path]
	if !ok {
		p.pool, p.err = LoadCA(path)
		c.pools[path] = p
	}
	return p.pool, p.err
}

// keyPair is LoadClientCert(certPath, keyPath), read once.
func (c *FileCache) keyPair(certPath, keyPath string) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := [2]string{certPath, keyPath}
	e, ok := c.keys[k]
	if !ok {
		e.cert, e.err = LoadClientCert(certPath, keyPath)
		c.keys[k] = e
	}
	return e.cert, e.err
}
