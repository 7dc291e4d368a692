//go:build !linux

package sandbox

import "time"

// childCPU is not available without /proc: the wall-clock backstop stops a runaway worker.
func childCPU(int) (time.Duration, bool) { return 0, false }
