//go:build !unix

package sandbox

// limitSelf has no resource limits to set where setrlimit does not exist (Windows): the worker
// is still a separate process, with debug.SetMemoryLimit and the parent's wall-clock backstop.
func limitSelf(int64) error { return nil }
