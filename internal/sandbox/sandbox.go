// Package sandbox runs custom Rego rules where they cannot take policylint down: in worker
// processes, of policylint-rules (WorkerName, installed beside policylint) started with a marker
// in their environment, each with
// limits on its memory, open files and file size, an empty environment otherwise, and no access
// to anything but its standard input and output. A worker that crashes (out of memory, a stack
// overflow, a fatal error in a built-in), or that runs past its CPU budget inside a single
// built-in call, is killed and replaced; the document it was evaluating gets a rule-error or
// rule-timeout finding, and every other finding is still reported.
//
// The budget is CPU time, so that a loaded machine does not time rules out: the worker stops an
// evaluation itself when its CPU time passes the budget (OPA checks between evaluation steps),
// and the parent kills a worker whose CPU time passes the budget by a margin (a built-in call
// that does not return), read from /proc on Linux; elsewhere a wall-clock backstop, many times
// the budget, does it.
package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/policylint/policylint/internal/ruleproto"
)

// Environment variables of a worker.
const (
	envWorker = "POLICYLINT_RULES_WORKER" // "1" in a worker
	envMemory = "POLICYLINT_RULES_MEMORY" // its memory limit, in bytes
)

// DefaultMemory is a worker's memory limit when Options.Memory is zero.
const DefaultMemory = 1 << 30

// maxRestarts bounds how many workers replace ones that crashed or ran away in one run; past
// it, evaluations fail at once rather than start a worker per document.
const maxRestarts = 8

// Options configures Start.
type Options struct {
	// Load is what every worker loads; its CPU is the budget of one document.
	Load ruleproto.Load
	// Memory is a worker's memory limit in bytes; 0 is DefaultMemory.
	Memory int64
	// Workers is how many workers evaluate at once, at most; 0 is 1.
	Workers int
	// Command runs a worker; nil runs WorkerName beside this executable, or this executable when
	// it called RunIfWorker (a test binary).
	Command []string
}

// WorkerName is the worker program, installed beside policylint: cmd/policylint-rules. It is a
// program of its own so that policylint does not carry OPA: Go initialises every package a
// program links at start-up, and OPA's would double policylint's start-up time.
const WorkerName = "policylint-rules"

// selfServes is set by RunIfWorker in a process that can serve as its own worker.
var selfServes bool

// WorkerCommand finds the worker program: beside this executable, as a release archive, go
// install and pre-commit put it; never on PATH or in the working folder, which a pull request
// may fill.
func WorkerCommand() ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("custom rules: cannot find policylint's own executable, beside which %s is: %w", WorkerName, err)
	}
	if selfServes {
		return []string{exe}, nil
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	name := WorkerName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	worker := filepath.Join(filepath.Dir(exe), name)
	if info, err := os.Stat(worker); err != nil || !info.Mode().IsRegular() {
		return nil, fmt.Errorf("custom rules run in %s, a program installed beside policylint, and there is none at %s: "+
			"use a release archive, which holds both, or go install github.com/policylint/policylint/cmd/...@VERSION (the same version for both)", WorkerName, worker)
	}
	return []string{worker}, nil
}

// Rules is a loaded rule set and its workers. It is safe for concurrent use.
type Rules struct {
	// Loaded is what the first worker answered to the Load: the rules, or the errors.
	Loaded ruleproto.Loaded

	opts     Options
	idle     chan *worker
	mu       sync.Mutex
	started  int // workers alive or idle
	restarts int
	closed   bool
}

// Failure is why an evaluation gave no answer.
type Failure struct {
	// Timeout: the worker ran past its CPU budget and was stopped.
	Timeout bool
	Msg     string
}

func (f *Failure) Error() string { return f.Msg }

// Start starts one worker and loads the rules. Errors in the rule files come back in
// Rules.Loaded.Errors; an error return means no worker could be started.
func Start(opts Options) (*Rules, error) {
	if opts.Memory <= 0 {
		opts.Memory = DefaultMemory
	}
	if opts.Workers <= 0 {
		opts.Workers = 1
	}
	if opts.Command == nil {
		cmd, err := WorkerCommand()
		if err != nil {
			return nil, err
		}
		opts.Command = cmd
	}
	r := &Rules{opts: opts, idle: make(chan *worker, opts.Workers)}
	w, loaded, err := r.spawn()
	if err != nil {
		return nil, err
	}
	r.Loaded = *loaded
	r.started = 1
	r.idle <- w
	return r, nil
}

// Eval evaluates every rule on one document.
func (r *Rules) Eval(req *ruleproto.Eval) (*ruleproto.Evaluated, *Failure) {
	w, f := r.acquire()
	if f != nil {
		return nil, f
	}
	var reply ruleproto.Reply
	if f := w.call(ruleproto.Request{Eval: req}, &reply, r.opts.Load.CPU); f != nil {
		r.discard(w)
		return nil, f
	}
	r.release(w)
	if reply.Evaluated == nil {
		return nil, &Failure{Msg: "the rule worker gave no evaluation: " + reply.Fatal}
	}
	return reply.Evaluated, nil
}

// Test runs the loaded rules' tests, within a CPU budget for the whole run.
func (r *Rules) Test(req *ruleproto.Test, budget time.Duration) (*ruleproto.Tested, *Failure) {
	w, f := r.acquire()
	if f != nil {
		return nil, f
	}
	var reply ruleproto.Reply
	if f := w.call(ruleproto.Request{Test: req}, &reply, budget); f != nil {
		r.discard(w)
		return nil, f
	}
	r.release(w)
	if reply.Tested == nil {
		return nil, &Failure{Msg: "the rule worker gave no test results: " + reply.Fatal}
	}
	return reply.Tested, nil
}

// CPU is the CPU time one document's evaluation may take.
func (r *Rules) CPU() time.Duration { return r.opts.Load.CPU }

// Close stops the workers.
func (r *Rules) Close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	for {
		select {
		case w := <-r.idle:
			w.stop()
		default:
			return
		}
	}
}

// acquire returns an idle worker, or starts one when fewer than Workers run, or waits.
func (r *Rules) acquire() (*worker, *Failure) {
	select {
	case w := <-r.idle:
		return w, nil
	default:
	}
	r.mu.Lock()
	if r.started < r.opts.Workers && !r.closed {
		if r.restarts > maxRestarts {
			r.mu.Unlock()
			return nil, &Failure{Msg: fmt.Sprintf("custom rules were not run: the rule worker crashed or ran away %d times", r.restarts)}
		}
		r.started++
		r.mu.Unlock()
		w, loaded, err := r.spawn()
		if err == nil && len(loaded.Errors) > 0 {
			err = errors.New("the rules no longer load")
		}
		if err != nil {
			r.mu.Lock()
			r.started--
			r.mu.Unlock()
			return nil, &Failure{Msg: "custom rules were not run: " + err.Error()}
		}
		return w, nil
	}
	r.mu.Unlock()
	return <-r.idle, nil
}

func (r *Rules) release(w *worker) { r.idle <- w }

// discard stops a worker that crashed or ran away; acquire starts another in its place.
func (r *Rules) discard(w *worker) {
	w.stop()
	r.mu.Lock()
	r.started--
	r.restarts++
	r.mu.Unlock()
}

// spawn starts a worker and sends it the Load.
func (r *Rules) spawn() (*worker, *ruleproto.Loaded, error) {
	w, err := startWorker(r.opts)
	if err != nil {
		return nil, nil, err
	}
	var reply ruleproto.Reply
	// Compiling is the user's code too: the same budget, generously, as one document.
	if f := w.call(ruleproto.Request{Load: &r.opts.Load}, &reply, max(r.opts.Load.CPU, 2*time.Second)*5); f != nil {
		w.stop()
		return nil, nil, fmt.Errorf("compiling the rules: %s", f.Msg)
	}
	if reply.Loaded == nil {
		w.stop()
		return nil, nil, fmt.Errorf("the rule worker did not load the rules: %s", reply.Fatal)
	}
	if reply.Loaded.Protocol != ruleproto.Version {
		w.stop()
		return nil, nil, fmt.Errorf("the rule worker %s is of another policylint release (it speaks version %d of the rule protocol, this policylint %d): install both from the same release", r.opts.Command[0], reply.Loaded.Protocol, ruleproto.Version)
	}
	return w, reply.Loaded, nil
}

// worker is one worker process and the pipes to it.
type worker struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	w      *bufio.Writer
	r      *bufio.Reader
	stderr *head
	exited chan struct{}
}

func startWorker(opts Options) (*worker, error) {
	cmd := exec.Command(opts.Command[0], opts.Command[1:]...)
	// Nothing of policylint's environment (CI tokens, credentials) reaches a worker.
	cmd.Env = []string{envWorker + "=1", envMemory + "=" + strconv.FormatInt(opts.Memory, 10)}
	cmd.Dir = os.TempDir()
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	w := &worker{cmd: cmd, in: in, w: bufio.NewWriterSize(in, 64<<10), r: bufio.NewReaderSize(out, 64<<10), stderr: &head{max: 4096}, exited: make(chan struct{})}
	cmd.Stderr = w.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the rule worker: %w", err)
	}
	go func() {
		_ = cmd.Wait()
		close(w.exited)
	}()
	return w, nil
}

// call sends a request and reads the reply, killing the worker when its CPU time passes budget
// by a margin, or when the wall-clock backstop passes. The watch is a timer, not a goroutine: a
// call that ends before its first tick (most do) costs no read of /proc and no wake-up.
func (w *worker) call(req ruleproto.Request, reply *ruleproto.Reply, budget time.Duration) *Failure {
	limitCPU := budget + budget/2 + 500*time.Millisecond
	backstop := max(30*time.Second, 20*budget)
	started := time.Now()
	var (
		mu       sync.Mutex
		done     bool
		stopped  *Failure // why the watch killed the worker
		startCPU time.Duration
		haveCPU  bool
		first    = true
		timer    *time.Timer
	)
	watch := func() {
		mu.Lock()
		defer mu.Unlock()
		if done {
			return
		}
		switch {
		case time.Since(started) > backstop:
			stopped = &Failure{Timeout: true, Msg: fmt.Sprintf("the rules did not finish within %s and were stopped", backstop)}
		case first:
			// The worker's CPU time is first read at the first tick: what it spent before, at
			// most a tick of each of its threads, is inside the margin over the budget.
			first = false
			startCPU, haveCPU = childCPU(w.cmd.Process.Pid)
		case haveCPU:
			if now, ok := childCPU(w.cmd.Process.Pid); ok && now-startCPU > limitCPU {
				stopped = &Failure{Timeout: true, Msg: fmt.Sprintf("the rules ran past their CPU budget of %s inside one call and were stopped", budget)}
			}
		}
		if stopped != nil {
			w.kill() // the pipes break, and the call below returns
			return
		}
		timer.Reset(watchTick)
	}
	mu.Lock()
	timer = time.AfterFunc(watchTick, watch)
	mu.Unlock()

	err := ruleproto.WriteRequest(w.w, &req)
	if err == nil {
		err = ruleproto.ReadReply(w.r, reply)
	}

	mu.Lock()
	done = true
	timer.Stop()
	f := stopped
	mu.Unlock()
	switch {
	case f != nil:
		return f
	case err != nil:
		w.kill()
		<-w.exited
		var pe *ruleproto.ProtocolError
		if errors.As(err, &pe) {
			return &Failure{Msg: "the rule worker's answer could not be read (" + pe.Msg + "), and the worker was stopped"}
		}
		return &Failure{Msg: "the rule worker stopped: " + w.why()}
	}
	return nil
}

// watchTick is how often a call's watch reads the worker's CPU time.
const watchTick = 20 * time.Millisecond

// why words how a worker ended, from its exit status and the last line it wrote, which is
// policylint's own code (a Go fatal error), never user data beyond a rule's message.
func (w *worker) why() string {
	state := w.cmd.ProcessState
	last := w.stderr.lastLine()
	switch {
	case contains(last, "out of memory") || contains(last, "cannot allocate memory"):
		return "it ran out of memory (the limit is " + strconv.FormatInt(memoryMiB(w.cmd.Env), 10) + " MiB)"
	case contains(last, "stack overflow") || contains(last, "stack exceeds"):
		return "a rule overflowed the stack"
	case state != nil:
		return "it exited: " + state.String()
	}
	return "it closed its output"
}

func (w *worker) kill() {
	if w.cmd.Process != nil {
		_ = w.cmd.Process.Kill()
	}
}

func (w *worker) stop() {
	_ = w.in.Close()
	select {
	case <-w.exited:
	case <-time.After(2 * time.Second):
		w.kill()
		<-w.exited
	}
}

// head keeps the first max bytes written to it: where a Go fatal error says what happened.
type head struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (h *head) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// lastLine returns the first line of a Go fatal error or panic, or the last line written.
func (h *head) lastLine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	lines := splitLines(string(h.buf))
	for _, l := range lines {
		if contains(l, "fatal error:") || contains(l, "runtime:") || contains(l, "panic:") {
			return l
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return lines[len(lines)-1]
}
