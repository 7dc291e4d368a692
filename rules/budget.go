package rules

import (
	"context"
	"sync/atomic"
	"time"
)

// budgetTick is how often the CPU budget is checked during an evaluation.
const budgetTick = 2 * time.Millisecond

// withCPUBudget returns a context that is cancelled once this process has spent budget of CPU
// time (user and system) from now, so that a rule's cost, not the machine's load, decides when
// it is stopped; spent reports whether that happened. OPA checks the context between evaluation
// steps; a single built-in call that runs on is stopped by the parent, which kills the worker.
func withCPUBudget(budget time.Duration) (ctx context.Context, stop func(), spent func() bool) {
	ctx, cancel := context.WithCancel(context.Background())
	start := processCPU()
	var over atomic.Bool
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(budgetTick)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if processCPU()-start > budget {
					over.Store(true)
					cancel()
					return
				}
			}
		}
	}()
	return ctx, func() { close(done); cancel() }, over.Load
}
