// Package ruleproto is the conversation between policylint and its rule worker: the child
// process in which custom Rego rules are parsed, compiled, evaluated and tested, so that a rule
// that crashes, runs away or exhausts memory takes down only the worker. It holds plain data
// types and nothing of OPA, so that the side of policylint that talks to the worker need not link
// the rule engine's code paths.
//
// The parent writes one Request at a time and reads one Reply, on the worker's standard input
// and output, each framed by WriteRequest and WriteReply: a line of JSON, and after an Eval's
// line the raw bytes of its policy and context, so that neither side scans a document twice
// only to find where a message ends. The worker never touches the file system: the parent reads
// every rule and data file, through the same confined, bounded reader as any input, and sends
// their text.
package ruleproto

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Version is the conversation's version: a worker answers a Load with the one it speaks, and
// policylint refuses a worker of another (policylint and policylint-rules from two releases).
// Version 2 frames an Eval's documents as raw bytes after its line.
const Version = 2

// Request is one message to the worker; exactly one of its fields is set.
type Request struct {
	Load *Load `json:"load,omitempty"`
	Eval *Eval `json:"eval,omitempty"`
	Test *Test `json:"test,omitempty"`
}

// File is a rule or data file's name, as the user would recognise it, and its text.
type File struct {
	Name   string `json:"name"`
	Source string `json:"source"`
}

// Load compiles the rules; it is the first request and is answered with a Loaded.
type Load struct {
	Rules []File `json:"rules"`
	// Data are JSON or YAML documents merged into data, as conftest's --data does.
	Data []File `json:"data,omitempty"`
	// Namespaces are the packages whose deny, violation and warn rules give findings under
	// the conftest contract; empty means ["main"], conftest's default.
	Namespaces    []string `json:"namespaces,omitempty"`
	AllNamespaces bool     `json:"all_namespaces,omitempty"`
	// Tests keeps the _test.rego files and print() output, for Test requests.
	Tests bool `json:"tests,omitempty"`
	// Disabled are rule references (data.main.deny) not to evaluate.
	Disabled []string `json:"disabled,omitempty"`
	// RegoV0 parses the rule files as Rego v0, the syntax before OPA 1.0 (deny[msg] { ... }), as
	// conftest's --rego-version v0 does; policylint's own library stays v1.
	RegoV0 bool `json:"rego_v0,omitempty"`
	// CPU is the CPU time one document's evaluation may take.
	CPU time.Duration `json:"cpu"`
}

// Loaded is the answer to Load.
type Loaded struct {
	// Protocol is the Version the worker speaks.
	Protocol int    `json:"protocol"`
	Rules    []Rule `json:"rules"`
	// Errors are parse and compile errors: when any is present, no rule is loaded.
	Errors []Problem `json:"errors,omitempty"`
	// Warnings are rules that can never fire: they read input paths that the input of their
	// contract does not have, as OPA's type checker finds against its schema.
	Warnings []Problem `json:"warnings,omitempty"`
	// Positions reports whether a rule reads the positions table, so that the parent builds it
	// only then.
	Positions bool `json:"positions,omitempty"`
}

// Contracts: what input a rule sees.
const (
	// Conftest: input is the policy document itself, as conftest test policy.json gives it;
	// the request and positions are in data.policylint.context.
	Conftest = "conftest"
	// Policylint: input is {"path", "policy", "request", "positions"}; a module opts in with
	// METADATA schemas: [{input: schema.policylint}].
	Policylint = "policylint"
)

// Rule is one custom rule that gives findings: a deny, violation or warn rule of a package,
// with what its METADATA says of it.
type Rule struct {
	Ref      string `json:"ref"` // data.main.deny
	Code     string `json:"code"`
	Slug     string `json:"slug"`
	Severity string `json:"severity"`
	Title    string `json:"title,omitempty"`
	// Description is the METADATA description.
	Description string `json:"description,omitempty"`
	// URL is the first related_resources entry: the rule's documentation.
	URL      string `json:"url,omitempty"`
	Contract string `json:"contract"`
	// File and Row are where the rule is defined (its first definition).
	File string `json:"file"`
	Row  int    `json:"row"`
}

// Problem is an error or warning at a place of a rule file.
type Problem struct {
	File string `json:"file,omitempty"`
	Row  int    `json:"row,omitempty"`
	Col  int    `json:"col,omitempty"`
	Msg  string `json:"msg"`
}

// Eval evaluates every loaded rule on one document.
type Eval struct {
	// Policy is the session policy document, JSON. It travels as raw bytes after the line.
	Policy json.RawMessage `json:"-"`
	// Context is what the policylint contract's input holds besides the policy, and what
	// data.policylint.context holds for the conftest contract: {"path", "kind", "request",
	// "positions"}. It travels as raw bytes after the policy.
	Context json.RawMessage `json:"-"`
	// PolicyBytes and ContextBytes are their lengths on the line; WriteRequest sets them.
	PolicyBytes  int `json:"policy_bytes"`
	ContextBytes int `json:"context_bytes"`
	// Path and Dir name the file for data.conftest.file, as conftest does.
	Path string `json:"path"`
}

// Evaluated is the answer to Eval.
type Evaluated struct {
	Findings []Finding `json:"findings,omitempty"`
	// Prints are the lines print() wrote, each "file:row: message".
	Prints []string `json:"prints,omitempty"`
	// Timeout is set when the CPU budget ran out; Findings then hold those of the rules that
	// finished.
	Timeout bool `json:"timeout,omitempty"`
	// Errors are rules that failed at run time, or returned something that is not a finding.
	Errors []Problem `json:"errors,omitempty"`
}

// Finding is one result of a rule.
type Finding struct {
	Ref     string `json:"ref"`
	Message string `json:"msg"`
	// Pointer is a JSON Pointer into the policy, from the result's "pointer", or found from
	// what the rule read to produce the result; "" for the document.
	Pointer string `json:"pointer,omitempty"`
	// Line is a 1-based line of the policy from a conftest "_loc": {"line": N}; 0 when none.
	Line int `json:"line,omitempty"`
}

// Test runs the loaded _test.rego files.
type Test struct {
	// Run selects tests whose name matches this regular expression (opa test --run).
	Run      string `json:"run,omitempty"`
	Coverage bool   `json:"coverage,omitempty"`
	Verbose  bool   `json:"verbose,omitempty"`
}

// Tested is the answer to Test.
type Tested struct {
	// Output is the report, one line per failed (or, verbose, every) test.
	Output         string `json:"output"`
	Passed, Failed int
	// Coverage is the percentage of rule lines the tests reach, and the lines they do not.
	Coverage *Coverage `json:"coverage,omitempty"`
	Errors   []Problem `json:"errors,omitempty"`
}

// Coverage is OPA's coverage report, per file.
type Coverage struct {
	Percent float64        `json:"percent"`
	Files   []FileCoverage `json:"files"`
}

// FileCoverage is one rule file's coverage.
type FileCoverage struct {
	File    string   `json:"file"`
	Percent float64  `json:"percent"`
	Missed  [][2]int `json:"missed,omitempty"` // line ranges no test reaches
}

// Reply is one message from the worker; exactly one of its fields is set.
type Reply struct {
	Loaded    *Loaded    `json:"loaded,omitempty"`
	Evaluated *Evaluated `json:"evaluated,omitempty"`
	Tested    *Tested    `json:"tested,omitempty"`
	// Fatal is a request the worker could not handle at all.
	Fatal string `json:"fatal,omitempty"`
}

// MaxMessage bounds a request's line and an Eval's documents: far beyond any policy, request or
// rule set policylint reads (its inputs are bounded well below).
const MaxMessage = 256 << 20

// MaxReply bounds a reply, which user rules make: far beyond the findings policylint reports of
// one document (at most 20 per rule, each message cut to 1,000 bytes), and small enough that the
// replies of every worker at once cost policylint little memory.
const MaxReply = 32 << 20

// WriteRequest writes req as one line of JSON and, for an Eval, its policy and context after
// the line, and flushes w.
func WriteRequest(w *bufio.Writer, req *Request) error {
	line := req
	var policy, context []byte
	if e := req.Eval; e != nil {
		// The lengths go on a copy: the caller's Eval may be in use by another call. A
		// document not given is JSON's null, as an absent value was when it travelled inside
		// the line.
		policy, context = orNull(e.Policy), orNull(e.Context)
		c := *e
		c.PolicyBytes, c.ContextBytes = len(policy), len(context)
		r := *req
		r.Eval = &c
		line = &r
	}
	if err := writeLine(w, line); err != nil {
		return err
	}
	if req.Eval != nil {
		if _, err := w.Write(policy); err != nil {
			return err
		}
		if _, err := w.Write(context); err != nil {
			return err
		}
	}
	return w.Flush()
}

func orNull(b []byte) []byte {
	if len(b) == 0 {
		return []byte("null")
	}
	return b
}

// ReadRequest reads what WriteRequest wrote. At the end of r it returns io.EOF.
func ReadRequest(r *bufio.Reader, req *Request) error {
	if err := readLine(r, req, MaxMessage); err != nil {
		return err
	}
	e := req.Eval
	if e == nil {
		return nil
	}
	if e.PolicyBytes < 0 || e.ContextBytes < 0 || e.PolicyBytes > MaxMessage-e.ContextBytes {
		return fmt.Errorf("an evaluation of %d and %d bytes: at most %d in all are read", e.PolicyBytes, e.ContextBytes, MaxMessage)
	}
	buf := make([]byte, e.PolicyBytes+e.ContextBytes)
	if _, err := io.ReadFull(r, buf); err != nil {
		return fmt.Errorf("reading an evaluation's documents: %w", noEOF(err))
	}
	e.Policy, e.Context = buf[:e.PolicyBytes:e.PolicyBytes], buf[e.PolicyBytes:]
	return nil
}

// WriteReply writes reply as one line of JSON and flushes w.
func WriteReply(w *bufio.Writer, reply *Reply) error {
	if err := writeLine(w, reply); err != nil {
		return err
	}
	return w.Flush()
}

// ReadReply reads what WriteReply wrote: a line of at most MaxReply bytes, for the worker's
// answers hold what user rules made.
func ReadReply(r *bufio.Reader, reply *Reply) error { return readLine(r, reply, MaxReply) }

// writeLine writes v's JSON, which holds no raw newline (encoding/json escapes every control
// character in a string), and a newline.
func writeLine(w *bufio.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return err
	}
	return w.WriteByte('\n')
}

// readLine reads one line of at most limit bytes and decodes it into v. At the end of r,
// before any byte of a line, it returns io.EOF.
func readLine(r *bufio.Reader, v any, limit int) error {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > limit {
			return &ProtocolError{"a message of over " + size(limit)}
		}
		switch {
		case err == nil && line == nil:
			line = chunk // the usual case: the whole line in the buffer, decoded before the next read
		case err == nil || errors.Is(err, bufio.ErrBufferFull):
			line = append(line, chunk...)
		case errors.Is(err, io.EOF) && len(line)+len(chunk) == 0:
			return io.EOF
		default:
			return noEOF(err)
		}
		if err == nil {
			break
		}
	}
	if err := json.Unmarshal(bytes.TrimSuffix(line, []byte("\n")), v); err != nil {
		return &ProtocolError{"a message that is not the protocol's JSON: " + err.Error()}
	}
	return nil
}

// size words a limit: in MiB when it is a whole number of them.
func size(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ProtocolError is a message that breaks the protocol: too long, or not its JSON.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return e.Msg }

// noEOF words an end of input inside a message as what it is.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
