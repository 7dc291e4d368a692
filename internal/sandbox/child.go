package sandbox

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// RunIfWorker runs serve as a rule worker and exits, when this process was started as one
// (Start sets its environment); otherwise it returns at once, and Start runs workers from this
// executable. Call it first thing in the worker program's main (cmd/policylint-rules), and in
// TestMain of tests that start workers from the test binary.
func RunIfWorker(serve func(io.Reader, io.Writer) error) {
	if os.Getenv(envWorker) != "1" {
		selfServes = true
		return
	}
	memory, err := strconv.ParseInt(os.Getenv(envMemory), 10, 64)
	if err != nil || memory <= 0 {
		memory = DefaultMemory
	}
	if err := limitSelf(memory); err != nil {
		fmt.Fprintf(os.Stderr, "rule worker: setting limits: %v\n", err)
		os.Exit(3)
	}
	// Collect garbage harder before the hard limit, and fail a runaway recursion at 64 MiB of
	// stack rather than at Go's 1 GiB.
	// Below that, collect less often than Go's default: the worker's heap is the rules and one
	// document, small beside its limit, and Rego evaluation allocates much; the limit still
	// bounds what a collection may leave.
	debug.SetMemoryLimit(memory / 4 * 3)
	debug.SetGCPercent(400)
	debug.SetMaxStack(64 << 20)
	if err := serve(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "rule worker: %v\n", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func splitLines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
}

// memoryMiB reads a worker's memory limit back from its environment.
func memoryMiB(env []string) int64 {
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, envMemory+"="); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n >> 20
		}
	}
	return DefaultMemory >> 20
}
