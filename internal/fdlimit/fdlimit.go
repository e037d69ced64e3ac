// Package fdlimit reads and raises the process's limit on open file
// descriptors, so that a scan can size its concurrency to the descriptors
// it may hold instead of failing part-way with "too many open files".
package fdlimit

// maxInt caps limits reported as "unlimited" to something arithmetic on
// int survives.
const maxInt = 1 << 30
