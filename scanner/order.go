package scanner

// Ordered output (Options.Ordered) releases a target's results only after
// every earlier target's, so a slow target holds back the results of the
// fast ones after it. Without a bound, one tarpit early in a long list
// would keep every result finished during its timeout in memory. Run
// therefore starts target n only when fewer than the window's worth of
// targets since the oldest unreleased one are in flight or held: memory is
// bounded by the window, and throughput drops only while one target is
// slower than the window's worth of others. Unordered output (JSON Lines)
// never waits.

// orderWindow is how many targets may be in flight or held back, at most,
// behind the oldest one not yet released: enough to keep every worker busy
// through a slow target's usual delay.
func orderWindow(workers int) int { return max(1024, 16*workers) }

// waitRoom blocks until target n may start within the window.
func (o *output) waitRoom(n, window int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for n-o.next >= window && o.err == nil {
		o.room.Wait()
	}
}
