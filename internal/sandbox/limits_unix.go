//go:build unix

package sandbox

import "syscall"

// limitSelf applies a worker's limits to its own process before it reads any rule: its data
// segment (Go's heap: RLIMIT_DATA counts private writable mappings, and not the address space Go
// reserves without using), no core dumps, no file writes, and few open files (it needs its three
// standard ones and the runtime's).
func limitSelf(memory int64) error {
	limits := []struct {
		resource int
		value    uint64
	}{
		{syscall.RLIMIT_CORE, 0},
		{syscall.RLIMIT_FSIZE, 0},
		{syscall.RLIMIT_NOFILE, 64},
	}
	if !raceEnabled {
		// The race detector's shadow memory would count against it.
		limits = append(limits, struct {
			resource int
			value    uint64
		}{syscall.RLIMIT_DATA, uint64(memory)})
	}
	for _, l := range limits {
		var lim syscall.Rlimit
		lim.Cur = rlim(lim.Cur, l.value)
		lim.Max = lim.Cur
		if err := syscall.Setrlimit(l.resource, &lim); err != nil {
			return err
		}
	}
	return nil
}

// rlim converts a limit to the type of Rlimit's fields: uint64 on Linux and macOS, int64 on the
// BSDs.
func rlim[T ~int64 | ~uint64](_ T, v uint64) T { return T(v) }
