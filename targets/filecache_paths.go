package targets

import "slices"

// Paths are the files the cache was asked to read (CA files, client
// certificates and keys), whether or not they could be: the run must not
// write a report over any of them.
func (c *FileCache) Paths() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for p := range c.pools {
		out = append(out, p)
	}
	for k := range c.keys {
		out = append(out, k[0], k[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}
