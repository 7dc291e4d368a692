package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown/print"

	"github.com/policylint/policylint/internal/ruleproto"
)

// evaluator runs every loaded rule on one document at a time: one prepared query per contract,
// whose expressions bind each rule's value, and the conftest exceptions of each namespace.
type evaluator struct {
	c       *compiled
	store   storage.Store
	queries []*query
	prints  *printer
	cpu     time.Duration
}

// query is the prepared query of one contract.
type query struct {
	contract   string
	prepared   rego.PreparedEvalQuery
	rules      []*rule  // bound to r0, r1, ...
	exceptions []string // namespaces whose exception rules are bound to e0, e1, ...
	// alone holds each rule's own query, prepared on the first failure of the whole, to tell
	// which rule failed.
	alone map[*rule]*rego.PreparedEvalQuery
}

// printer collects the lines print() writes during one evaluation.
type printer struct{ lines []string }

func (p *printer) Print(pc print.Context, msg string) error {
	loc := "?"
	if pc.Location != nil {
		loc = fmt.Sprintf("%s:%d", pc.Location.File, pc.Location.Row)
	}
	if len(p.lines) < maxPrints {
		p.lines = append(p.lines, loc+": "+oneLine(msg))
	}
	return nil
}

// maxPrints bounds the print() lines kept from one evaluation.
const maxPrints = 100

// newStore holds the --data document, an empty data.policylint.context and data.conftest.file.
func newStore(c *compiled) storage.Store {
	data := map[string]any{reservedRoot: map[string]any{"context": map[string]any{}}, "conftest": map[string]any{"file": map[string]any{}}}
	for k, v := range c.data {
		data[k] = v
	}
	return inmem.NewFromObject(data)
}

func newEvaluator(c *compiled, cpu time.Duration) (*evaluator, error) {
	e := &evaluator{c: c, store: newStore(c), prints: &printer{}, cpu: cpu}
	for _, con := range []string{ruleproto.Conftest, ruleproto.Policylint} {
		q := &query{contract: con, alone: map[*rule]*rego.PreparedEvalQuery{}}
		var exprs []string
		for _, r := range c.rules {
			if r.Contract == con {
				exprs = append(exprs, fmt.Sprintf("r%d := [v | v := %s]", len(q.rules), r.Ref))
				q.rules = append(q.rules, r)
			}
		}
		if len(q.rules) == 0 {
			continue
		}
		for _, r := range q.rules {
			if c.exceptions[r.namespace] && !slices.Contains(q.exceptions, r.namespace) {
				exprs = append(exprs, fmt.Sprintf("e%d := [v | v := data.%s.exception[_][_]]", len(q.exceptions), r.namespace))
				q.exceptions = append(q.exceptions, r.namespace)
			}
		}
		prepared, err := e.prepare(strings.Join(exprs, "; "))
		if err != nil {
			return nil, err
		}
		q.prepared = prepared
		e.queries = append(e.queries, q)
	}
	return e, nil
}

func (e *evaluator) prepare(text string) (rego.PreparedEvalQuery, error) {
	return rego.New(
		rego.Compiler(e.c.compiler),
		rego.Store(e.store),
		rego.Capabilities(capabilities()),
		rego.PrintHook(e.prints),
		rego.EnablePrintStatements(true),
		rego.StrictBuiltinErrors(false),
		rego.Query(text),
	).PrepareForEval(context.Background())
}

// eval runs the rules on one document within the CPU budget.
func (e *evaluator) eval(req *ruleproto.Eval) *ruleproto.Evaluated {
	out := &ruleproto.Evaluated{}
	e.prints.lines = nil
	defer func() { out.Prints = e.prints.lines }()
	policy, err := policyValue(req.Policy)
	if err != nil {
		out.Errors = append(out.Errors, ruleproto.Problem{Msg: "the policy could not be given to the rules: " + oneLine(err.Error())})
		return out
	}
	var context map[string]any
	if err := json.Unmarshal(req.Context, &context); err != nil {
		out.Errors = append(out.Errors, ruleproto.Problem{Msg: "the context could not be given to the rules: " + oneLine(err.Error())})
		return out
	}
	if err := e.setContext(context, req.Path); err != nil {
		out.Errors = append(out.Errors, ruleproto.Problem{Msg: "the context could not be stored: " + oneLine(err.Error())})
		return out
	}
	ctx, stop, spent := withCPUBudget(e.cpu)
	defer stop()
	for _, q := range e.queries {
		input := policy
		if q.contract == ruleproto.Policylint {
			in, err := ast.InterfaceToValue(context)
			if err != nil {
				out.Errors = append(out.Errors, ruleproto.Problem{Msg: "the input could not be built: " + oneLine(err.Error())})
				continue
			}
			obj := in.(ast.Object)
			obj.Insert(ast.StringTerm("policy"), ast.NewTerm(policy))
			input = obj
		}
		rs, err := q.prepared.Eval(ctx, rego.EvalParsedInput(input))
		switch {
		case spent():
			out.Timeout = true
			return out
		case err != nil:
			e.evalAlone(ctx, q, input, out)
			if spent() {
				out.Timeout = true
				return out
			}
			continue
		}
		if len(rs) == 0 {
			continue
		}
		excepted := map[string]bool{}
		for j := range q.exceptions {
			for _, name := range values(rs[0].Bindings["e"+strconv.Itoa(j)]) {
				if s, ok := name.(string); ok {
					excepted[q.exceptions[j]+"/"+s] = true
				}
			}
		}
		first := len(out.Findings)
		for i, r := range q.rules {
			if excepted[r.namespace+"/"+r.exception] {
				continue
			}
			r.results(rs[0].Bindings["r"+strconv.Itoa(i)], out)
		}
		e.locate(ctx, q, input, out.Findings[first:])
	}
	slices.SortStableFunc(out.Findings, func(a, b ruleproto.Finding) int {
		return strings.Compare(a.Ref+"\x00"+a.Pointer+"\x00"+a.Message, b.Ref+"\x00"+b.Pointer+"\x00"+b.Message)
	})
	return out
}

// locate finds a place for the findings that came with none, by evaluating the query again with
// a locator (locate.go). It is best effort: a budget that runs out leaves them at the document.
func (e *evaluator) locate(ctx context.Context, q *query, input ast.Value, findings []ruleproto.Finding) {
	var refs []string
	for _, f := range findings {
		if f.Pointer == "" && f.Line == 0 {
			refs = append(refs, f.Ref)
		}
	}
	if len(refs) == 0 {
		return
	}
	l := newLocator(refs, q.contract)
	printed := len(e.prints.lines)
	if _, err := q.prepared.Eval(ctx, rego.EvalParsedInput(input), rego.EvalQueryTracer(l)); err != nil {
		return
	}
	e.prints.lines = e.prints.lines[:printed] // the same print() lines again
	for i := range findings {
		if f := &findings[i]; f.Pointer == "" && f.Line == 0 {
			f.Pointer = l.pointer(f.Ref, f.Message)
		}
	}
}

// evalAlone evaluates each rule of a query that failed on its own, to report the one that fails
// and keep the findings of the others. Conftest exceptions still apply.
func (e *evaluator) evalAlone(ctx context.Context, q *query, input ast.Value, out *ruleproto.Evaluated) {
	excepted := map[string]bool{}
	for _, ns := range q.exceptions {
		rs, err := rego.New(rego.Compiler(e.c.compiler), rego.Store(e.store), rego.ParsedInput(input),
			rego.Query("x := [v | v := data."+ns+".exception[_][_]]")).Eval(ctx)
		if err == nil && len(rs) > 0 {
			for _, name := range values(rs[0].Bindings["x"]) {
				if s, ok := name.(string); ok {
					excepted[ns+"/"+s] = true
				}
			}
		}
	}
	for _, r := range q.rules {
		pq, ok := q.alone[r]
		if !ok {
			p, err := e.prepare("x := [v | v := " + r.Ref + "]")
			if err != nil {
				out.Errors = append(out.Errors, r.failure(err))
				continue
			}
			pq = &p
			q.alone[r] = pq
		}
		rs, err := pq.Eval(ctx, rego.EvalParsedInput(input))
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			out.Errors = append(out.Errors, r.failure(err))
		case len(rs) > 0 && !excepted[r.namespace+"/"+r.exception]:
			r.results(rs[0].Bindings["x"], out)
		}
	}
}

// setContext writes data.policylint.context and data.conftest.file for one document.
func (e *evaluator) setContext(context map[string]any, path string) error {
	ctx := contextBackground()
	txn, err := e.store.NewTransaction(ctx, storage.WriteParams)
	if err != nil {
		return err
	}
	name, dir := path, ""
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		name, dir = path[i+1:], path[:i]
	}
	if err := e.store.Write(ctx, txn, storage.ReplaceOp, storage.MustParsePath("/policylint/context"), context); err != nil {
		e.store.Abort(ctx, txn)
		return err
	}
	if err := e.store.Write(ctx, txn, storage.ReplaceOp, storage.MustParsePath("/conftest/file"), map[string]any{"name": name, "dir": dir}); err != nil {
		e.store.Abort(ctx, txn)
		return err
	}
	return e.store.Commit(ctx, txn)
}

func contextBackground() context.Context { return context.Background() }

// values is the array a comprehension binding holds, or nil.
func values(x any) []any {
	a, _ := x.([]any)
	return a
}

// results adds the findings of a rule's value, bound as [value] when the rule is defined and []
// when not. As conftest does, only a set (or array) of results counts: a result is a message
// string, or an object with a string msg, an optional string pointer and an optional _loc with a
// line; anything else in the set is a rule error.
func (r *rule) results(binding any, out *ruleproto.Evaluated) {
	defined := values(binding)
	if len(defined) == 0 {
		return
	}
	set, ok := defined[0].([]any)
	if !ok {
		return // a complete rule: conftest ignores it, and loading warned that it never fires
	}
	for _, x := range set {
		switch v := x.(type) {
		case string:
			out.Findings = append(out.Findings, ruleproto.Finding{Ref: r.Ref, Message: v})
			continue
		case map[string]any:
			msg, okMsg := v["msg"].(string)
			ptr, okPtr := v["pointer"].(string)
			_, hasPtr := v["pointer"]
			if okMsg && (okPtr || !hasPtr) {
				f := ruleproto.Finding{Ref: r.Ref, Message: msg, Pointer: ptr}
				if loc, ok := v["_loc"].(map[string]any); ok {
					if n, ok := loc["line"].(json.Number); ok {
						if line, err := n.Int64(); err == nil && line > 0 {
							f.Line = int(min(line, 1<<30))
						}
					}
				}
				out.Findings = append(out.Findings, f)
				continue
			}
		}
		out.Errors = append(out.Errors, ruleproto.Problem{File: r.File, Row: r.Row,
			Msg: fmt.Sprintf(`rule %s returned %s, which is not a message string or an object with a string "msg" (and an optional string "pointer")`, r.Ref, shorten(jsonText(x), 120))})
	}
}

func (r *rule) failure(err error) ruleproto.Problem {
	return ruleproto.Problem{File: r.File, Row: r.Row, Msg: fmt.Sprintf("rule %s failed: %s", r.Ref, shorten(oneLine(err.Error()), 300))}
}

// shorten cuts s to at most n bytes on a character boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
