package sandbox_test

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/policylint/policylint/internal/ruleproto"
	"github.com/policylint/policylint/internal/sandbox"
	"github.com/policylint/policylint/rules"
)

// TestMain makes the test binary a rule worker: the real one, or, named by an argument, a
// misbehaving one that stands for what a hostile rule can make a worker do.
func TestMain(m *testing.M) {
	switch {
	case slices.Contains(os.Args, "spin"):
		sandbox.RunIfWorker(misbehave(spin))
	case slices.Contains(os.Args, "crash"):
		sandbox.RunIfWorker(misbehave(func() { panic("a built-in blew up") }))
	case slices.Contains(os.Args, "env"):
		sandbox.RunIfWorker(misbehave(nil))
	case slices.Contains(os.Args, "other-release"):
		sandbox.RunIfWorker(func(r io.Reader, w io.Writer) error {
			var req ruleproto.Request
			_ = ruleproto.ReadRequest(bufio.NewReader(r), &req)
			return ruleproto.WriteReply(bufio.NewWriter(w), &ruleproto.Reply{Loaded: &ruleproto.Loaded{Protocol: ruleproto.Version + 1}})
		})
	}
	sandbox.RunIfWorker(rules.Serve)
	os.Exit(m.Run())
}

// spin stands for a built-in call that never returns: it burns CPU until it is killed.
func spin() {
	n := 0
	for n >= 0 {
		n = (n + 1) % 1000
	}
}

// misbehave answers a Load like a worker, then does what bad does on the first Eval; with bad
// nil, it answers the Eval with its own environment, as a rule that could read it would.
func misbehave(bad func()) func(io.Reader, io.Writer) error {
	return func(r io.Reader, w io.Writer) error {
		in, out := bufio.NewReader(r), bufio.NewWriter(w)
		for {
			var req ruleproto.Request
			if err := ruleproto.ReadRequest(in, &req); err != nil {
				return nil
			}
			switch {
			case req.Load != nil:
				_ = ruleproto.WriteReply(out, &ruleproto.Reply{Loaded: &ruleproto.Loaded{Protocol: ruleproto.Version}})
			case bad != nil:
				bad()
			default:
				_ = ruleproto.WriteReply(out, &ruleproto.Reply{Evaluated: &ruleproto.Evaluated{Prints: os.Environ()}})
			}
		}
	}
}

func start(t *testing.T, opts sandbox.Options, mode string) *sandbox.Rules {
	t.Helper()
	if mode != "" {
		opts.Command = []string{os.Args[0], mode}
	}
	rs, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rs.Close)
	return rs
}

var policy = &ruleproto.Eval{Policy: json.RawMessage(`{"Statement":[]}`), Context: json.RawMessage(`{}`)}

func TestWorker_EvaluatesRules(t *testing.T) {
	rs := start(t, sandbox.Options{Load: ruleproto.Load{Rules: []ruleproto.File{{Name: "m.rego", Source: "package main\n\ndeny contains \"x\" if input.Statement\n"}}, CPU: time.Second}}, "")
	res, f := rs.Eval(policy)
	if f != nil || len(res.Findings) != 1 || res.Findings[0].Message != "x" {
		t.Errorf("Eval = %+v, %v", res, f)
	}
}

// TestWorker_OfAnotherReleaseIsRefused: policylint and policylint-rules of two releases do not
// talk, and the error says why.
func TestWorker_OfAnotherReleaseIsRefused(t *testing.T) {
	_, err := sandbox.Start(sandbox.Options{Load: ruleproto.Load{CPU: time.Second}, Command: []string{os.Args[0], "other-release"}})
	if err == nil || !strings.Contains(err.Error(), "of another policylint release") || !strings.Contains(err.Error(), "install both from the same release") {
		t.Errorf("Start = %v, want the release mismatch said", err)
	}
}

func TestWorker_RunawayBuiltinIsKilledByCPU(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc: the wall-clock backstop stops a runaway worker, after 30 s")
	}
	rs := start(t, sandbox.Options{Load: ruleproto.Load{CPU: 200 * time.Millisecond}}, "spin")
	begin := time.Now()
	_, f := rs.Eval(policy)
	if f == nil || !f.Timeout {
		t.Fatalf("a worker spinning in one call was not stopped: %+v", f)
	}
	t.Logf("stopped after %s: %s", time.Since(begin), f.Msg)
}

func TestWorker_CrashIsReportedAndReplaced(t *testing.T) {
	rs := start(t, sandbox.Options{Load: ruleproto.Load{CPU: time.Second}}, "crash")
	for i := range 3 {
		_, f := rs.Eval(policy)
		if f == nil || f.Timeout || !strings.Contains(f.Msg, "the rule worker stopped") {
			t.Fatalf("evaluation %d: %+v, want the crash reported", i, f)
		}
	}
	// Past maxRestarts the workers are not started again for every document.
	var last *sandbox.Failure
	for range 10 {
		_, last = rs.Eval(policy)
	}
	if last == nil || !strings.Contains(last.Msg, "crashed or ran away") {
		t.Errorf("after many crashes: %+v", last)
	}
}

func TestWorker_GetsNoEnvironment(t *testing.T) {
	t.Setenv("CI_TOKEN_FOR_THE_TEST", "secret")
	rs := start(t, sandbox.Options{Load: ruleproto.Load{CPU: time.Second}}, "env")
	res, f := rs.Eval(policy)
	if f != nil {
		t.Fatal(f)
	}
	for _, kv := range res.Prints {
		if !strings.HasPrefix(kv, "POLICYLINT_RULES_") {
			t.Errorf("the worker's environment holds %q", kv)
		}
	}
}

func TestWorker_MemoryLimit(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector's shadow memory rules out the worker's data limit")
	}
	rule := "package main\n\ndeny contains \"x\" if count(numbers.range(1, 200000000)) > 0\n"
	rs := start(t, sandbox.Options{Load: ruleproto.Load{Rules: []ruleproto.File{{Name: "m.rego", Source: rule}}, CPU: 20 * time.Second}, Memory: 256 << 20}, "")
	_, f := rs.Eval(policy)
	if f == nil || !strings.Contains(f.Msg, "out of memory") {
		t.Fatalf("a rule allocating gigabytes in one call: %+v, want the worker out of memory", f)
	}
	t.Log(f.Msg)
}
