//go:build !unix

package rules

import "time"

var started = time.Now()

// processCPU falls back to wall-clock time where getrusage is not available (Windows): the
// budget is then a deadline, as documented.
func processCPU() time.Duration { return time.Since(started) }
